"""The views' tables: columns, keys and descriptions in one place.

The same definitions create the tables, fill the `_columns` table and the Datasette metadata
file, and document the views in the README — so they cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    columns: dict[str, str]  # name -> description; the first column is the primary key
    pk: tuple[str, ...] = ()
    indexes: tuple[str, ...] = ("key",)

    @property
    def primary_key(self) -> tuple[str, ...]:
        return self.pk or (next(iter(self.columns)),)


STATUS = "active, corrected or retracted"
KEY = "key of the event the row comes from"

TABLES = [
    Table(
        "partnerships",
        "One row per unordered country pair with any activity.",
        {
            "pair": "the two ISO codes in alphabetical order, e.g. JP-UZ",
            "country_a": "first country",
            "country_b": "second country",
            "meetings": "meetings between them",
            "grants": "grant agreements signed",
            "deliveries": "equipment deliveries",
            "projects": "projects planned",
            "cooperations": "cooperations established",
            "first_activity": "earliest activity date, as recorded",
            "last_activity": "latest activity date, as recorded",
        },
        indexes=(),
    ),
    Table(
        "partnership_funding",
        "Grant totals per country pair and currency (Decimal-exact).",
        {
            "pair": "country pair",
            "currency": "ISO 4217",
            "total": "exact sum, in `currency`, as a decimal string",
            "grants": "grants counted",
        },
        pk=("pair", "currency"),
        indexes=(),
    ),
    Table(
        "grants",
        "Grant agreements, with corrections applied.",
        {
            "grant": "grant id",
            "donor": "donor (country or org id)",
            "donor_country": "donor's country",
            "recipient": "recipient (country or org id)",
            "recipient_country": "recipient's country",
            "pair": "country pair",
            "programme": "programme id",
            "purpose": "purpose",
            "signed_on": "date signed",
            "value": "amount, in `currency`, as a decimal string (none: not stated)",
            "currency": "ISO 4217",
            "sector": "CRS code",
            "meeting": "meeting at which it was signed",
            "status": STATUS,
            "key": KEY,
        },
        indexes=("key", "pair"),
    ),
    Table(
        "funded_equipment",
        "One row per item of equipment, funded by a grant or delivered.",
        {
            "item": "event key and item number",
            "source": "grant or delivery",
            "grant": "grant id",
            "delivery": "delivery id",
            "donor": "donor",
            "recipient": "recipient",
            "recipient_country": "recipient's country",
            "description": "what",
            "quantity": "how many pieces (none: not stated)",
            "value": "amount, in `currency`, as a decimal string",
            "currency": "ISO 4217",
            "status": "funded, delivered or retracted",
            "on": "date funded or delivered",
            "delivered_on": "date a delivery named the grant",
            "key": KEY,
        },
        indexes=("key", "grant"),
    ),
    Table(
        "deliveries",
        "Deliveries of equipment.",
        {
            "delivery": "delivery id",
            "donor": "donor",
            "recipient": "recipient",
            "pair": "pair",
            "grant": "grant id",
            "region": "ISO 3166-2",
            "items": "number of equipment rows it delivered",
            "occurred_on": "date",
            "status": STATUS,
            "key": KEY,
        },
        indexes=("key", "grant"),
    ),
    Table(
        "meetings",
        "Meetings held.",
        {
            "meeting": "meeting id",
            "occurred_on": "date",
            "countries": "ISO codes, comma-separated",
            "participants": "person and org ids, comma-separated",
            "place": "where",
            "topics": "topics, semicolon-separated",
            "summary": "summary",
            "status": STATUS,
            "key": KEY,
        },
    ),
    Table(
        "projects",
        "Projects (clinics…), with status from their milestones.",
        {
            "project": "project id",
            "name": "name",
            "country": "ISO code",
            "region": "ISO 3166-2",
            "city": "city",
            "beds": "number of beds",
            "partners": "partner ids, comma-separated",
            "financing": "ppp, grant, loan, public or private",
            "status": "planned, a milestone, or retracted",
            "planned_start": "planned start",
            "planned_on": "date planned",
            "key": KEY,
        },
    ),
    Table(
        "milestones",
        "Milestones reached by projects.",
        {
            "key": KEY,
            "project": "project id",
            "milestone": "milestone",
            "occurred_on": "date",
            "position": "log position",
            "status": STATUS,
        },
        indexes=("project",),
    ),
    Table(
        "cooperations",
        "Cooperations established.",
        {
            "cooperation": "id",
            "parties": "parties, comma-separated",
            "field": "field",
            "description": "description",
            "occurred_on": "date",
            "status": STATUS,
            "key": KEY,
        },
    ),
    Table(
        "commitments",
        "Commitments stated.",
        {
            "key": KEY,
            "by": "who (country, org or person)",
            "statement": "what was said",
            "meeting": "meeting id",
            "occurred_on": "date",
            "status": STATUS,
        },
        indexes=(),
    ),
    Table(
        "timeline",
        "Every activity event, by valid time.",
        {
            "key": KEY,
            "position": "log position",
            "occurred_on": "date as recorded",
            "earliest": "earliest day it may mean",
            "latest": "latest day it may mean",
            "uncertain": "1 if the date is qualified or not precise to the day",
            "type": "event type",
            "summary": "one line",
            "countries": "countries, comma-separated",
            "recorded_at": "transaction time",
            "status": STATUS,
        },
        indexes=("earliest",),
    ),
    Table(
        "organizations",
        "Registered organisations.",
        {
            "org": "id",
            "name": "name",
            "country": "ISO code",
            "kind": "kind",
            "aliases": "aliases, semicolon-separated",
            "parent": "parent org id",
            "status": STATUS,
            "key": KEY,
        },
    ),
    Table(
        "people",
        "Registered people, with their current appointment.",
        {
            "person": "id",
            "name": "name",
            "aliases": "aliases, semicolon-separated",
            "country": "ISO code",
            "title": "current title",
            "org": "current organisation",
            "status": STATUS,
            "key": KEY,
        },
    ),
    Table(
        "appointments",
        "Appointments of people to organisations.",
        {
            "key": KEY,
            "person": "person id",
            "org": "org id",
            "title": "title",
            "occurred_on": "date",
            "position": "log position",
            "status": STATUS,
        },
        indexes=("person",),
    ),
    Table(
        "programmes",
        "Registered programmes.",
        {
            "programme": "id",
            "name": "name",
            "donor": "donor",
            "aliases": "aliases",
            "sector": "CRS code",
            "status": STATUS,
            "key": KEY,
        },
    ),
    Table(
        "sources",
        "Where each event was read: one row per source it cites (none: unsourced).",
        {
            "key": KEY,
            "n": "the source's place in the event's list, from 1",
            "publisher": "who published it",
            "title": "title of the article or document",
            "url": "link, if recorded",
            "author": "author, if recorded",
            "published_on": "date published, as recorded",
            "language": "ISO 639-1 language code",
            "status": STATUS,
        },
        pk=("key", "n"),
        indexes=("key", "publisher"),
    ),
    Table(
        "_pairs",
        "Which country pairs each activity counts toward.",
        {
            "key": KEY,
            "pair": "country pair",
            "kind": "meetings, grants, deliveries, projects or cooperations",
            "occurred_on": "date",
            "earliest": "earliest day",
            "latest": "latest day",
            "status": STATUS,
        },
        pk=("key", "pair"),
        # refreshing a pair counts its rows and finds its first and last activity
        indexes=("pair,kind,key", "pair,earliest,latest", "pair,latest,earliest"),
    ),
    Table(
        "_corrections",
        "Corrections and retractions, in log order.",
        {
            "key": "key of the correction",
            "target": "key it corrects",
            "type": "event type",
            "position": "log position",
            "recorded_at": "transaction time",
            "recorded_by": "who",
            "reason": "why",
            "changes": "JSON of the changes",
        },
        indexes=("target",),
    ),
]
BY_NAME = {table.name: table for table in TABLES}
DERIVED = ("partnerships", "partnership_funding")  # refreshed from the others, never keyed


def create_sql(table: Table) -> list[str]:
    columns = ", ".join(f'"{c}"' for c in table.columns)
    pk = ", ".join(f'"{c}"' for c in table.primary_key)
    statements = [f'CREATE TABLE IF NOT EXISTS "{table.name}" ({columns}, PRIMARY KEY ({pk}))']
    for index in table.indexes:  # "a" or "a,b,c"
        columns = ", ".join(f'"{c}"' for c in index.split(","))
        statements.append(
            f'CREATE INDEX IF NOT EXISTS "{table.name}_{index.replace(",", "_")}" '
            f'ON "{table.name}" ({columns})'
        )
    return statements


def datasette_metadata(title: str, database: str) -> dict[str, Any]:
    """Datasette's metadata (0.65+) for the views file ``database`` (Datasette names it by the
    file's stem: `ledger.views` for `ledger.views.db`; a `"*"` key is not matched):
    descriptions from the tables above, facets, and the auditors' canned queries."""
    from diplo.projections.browsing import QUERIES

    return {
        "title": title,
        "description": "The ledger's views, read-only. Every table and column is described; "
        "the canned queries answer the questions auditors ask.",
        "databases": {
            database: {
                "tables": {t.name: _table_metadata(t) for t in TABLES},
                "queries": QUERIES,
            }
        },
    }


def _table_metadata(table: Table) -> dict[str, Any]:
    from diplo.projections.browsing import FACETS, SORT

    meta: dict[str, Any] = {"description": table.description, "columns": table.columns}
    if table.name in FACETS:
        meta["facets"] = list(FACETS[table.name])
    if table.name in SORT:
        meta["sort"] = SORT[table.name]
    return meta


def markdown() -> str:
    """The views documented for the README (`python -m diplo.projections.tables`)."""
    out = []
    for table in TABLES:
        out += [f"**`{table.name}`** — {table.description}", ""]
        out += [f"- `{c}`: {d}" for c, d in table.columns.items()]
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    print(markdown())
