"""The views' tables: columns, keys and descriptions in one place.

The same definitions create the tables, fill the `_columns` table and the Datasette metadata
file, and document the views in the README — so they cannot drift apart.
"""

from __future__ import annotations

from typing import Any

from diplo.events.declaration import Table, declarations
from diplo.events.rows import KEY, STATUS

STANDING = "status != 'retracted'"  # rows counted: the status of events not retracted

__all__ = ["BY_NAME", "DERIVED", "LOGGED", "PAIR_KINDS", "TABLES", "Table", "create_sql"]


def _pair_kinds() -> dict[str, str]:
    """The kinds of activity a country pair counts (a column of ``partnerships`` each), from
    the declarations, in catalog order."""
    return {d.pair_kind[0]: d.pair_kind[1] for d in declarations().values() if d.pair_kind}


PAIR_KINDS = _pair_kinds()

PARTNERSHIPS = Table(
    "partnerships",
    "One row per unordered country pair with any activity.",
    {
        "pair": "the two ISO codes in alphabetical order, e.g. JP-UZ",
        "country_a": "first country",
        "country_b": "second country",
        **PAIR_KINDS,
        "first_activity": "earliest activity date, as recorded",
        "last_activity": "latest activity date, as recorded",
    },
    indexes=(),
)
FUNDING = Table(
    "partnership_funding",
    "Money per country pair, kind and currency (Decimal-exact); kinds are never mixed.",
    {
        "pair": "country pair",
        "kind": "agreed (agreements), granted, lent or disbursed",
        "currency": "ISO 4217 (empty when no event of this kind states an amount)",
        "total": "exact sum as a decimal string",
        "qualifier": "up-to if the total includes a ceiling, about if an approximation",
        "counted": "events whose amounts the total sums",
        "unstated": "events of this kind that state no amount (not in the total)",
        "events": "events of this kind in all",
    },
    pk=("pair", "kind", "currency"),
    indexes=(),
)
TIMELINE = Table(
    "timeline",
    "Every activity event, by valid time.",
    {
        "key": KEY,
        "position": "log position",
        "occurred_on": "date as recorded",
        "earliest": "earliest day it may mean",
        "latest": "latest day it may mean",
        "uncertain": "1 if the date is qualified as uncertain or approximate (?, ~, %)",
        "precision": "day, month or year: a month or a year is imprecise, not uncertain",
        "type": "event type",
        "cameo": "CAMEO event code (PLOVER category: diplo export --format cameo)",
        "summary": "one line",
        "countries": "countries, comma-separated",
        "recorded_at": "transaction time",
        "status": STATUS,
    },
    indexes=("earliest",),
)
PAIRS = Table(
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
    # a pair's rows, for its dossier (and its ends, rarely); new rows go to the end of their
    # pair's range (by rowid), where (pair, kind, key) would put them in hundreds of places
    indexes=("pair",),
    storage="by key",
)
PAIR_ENDS = Table(
    "_pair_ends",
    "Each pair's first and last standing activity, moved by each change "
    "(partnerships.first_activity and last_activity are read from them).",
    {
        "pair": "country pair",
        "first": "JSON [earliest, latest, occurred_on, key] of the first activity",
        "last": "JSON [earliest, latest, occurred_on, key] of the last activity",
    },
    indexes=(),
)
FUNDING_PARTS = Table(
    "_funding_parts",
    "Running money figures per pair, kind and currency, moved by each change "
    "(partnership_funding is written from them).",
    {
        "pair": "country pair",
        "kind": "agreed, granted, lent or disbursed",
        "currency": "ISO 4217; empty for the events that state no amount",
        "total": "exact sum as a decimal string",
        "counted": "events it counts",
        "up_to": "amounts that are ceilings",
        "about": "amounts that are approximations",
        "places": "how many amounts have 0, 1, … 6 decimal places (JSON)",
    },
    pk=("pair", "kind", "currency"),
    indexes=(),
)
CORRECTIONS = Table(
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
)
MENTIONS = Table(
    "_mentions",
    "Which registered parties each event names: correcting one re-derives those events' rows.",
    {"key": KEY, "party": "org or person id"},
    pk=("key", "party"),
    indexes=("party",),
    storage="by key",
)

# What `diplo log` shows of each event, kept so that a log read needs no event model: the
# summary and countries of its ORIGINAL data, as the registrations before it in the log name
# them (corrections never change them), and the log's directory that says so (see logrows).
LOG = Table(
    "_log",
    "Every event as `diplo log` summarises it: from its data as recorded, in log order.",
    {
        "position": "log position",
        "key": KEY,
        "summary": "the one-line summary `diplo log` shows",
        "countries": "the countries it involves (comma-separated), as `diplo log --country` "
        "finds them",
    },
    indexes=(),
    storage="position",
)
LOG_DIRECTORY = Table(
    "_log_directory",
    "What the log has told so far, as `diplo log` follows it: names and countries of parties, "
    "countries of the records later facts may act on (grants, loans, projects).",
    {
        "map": "names, countries or records",
        "entry": "an org or person id; for records, kind/id (grant/g-1)",
        "value": "a name or a country; for records, its countries (comma-separated)",
    },
    pk=("map", "entry"),
    indexes=(),
    storage="by key",
)
LOGGED = (LOG.name, LOG_DIRECTORY.name)  # by position, never re-derived by a correction

SOURCES = "independent sources (distinct publishers) reporting the event, corroborations included"


def _with_sources(table: Table) -> Table:
    """Every row of a type's table says how many independent sources back its event."""
    return Table(
        table.name,
        table.description,
        {**table.columns, "sources": SOURCES},
        table.pk or table.primary_key,
        table.indexes,
    )


DECLARED_TABLES = [
    _with_sources(table)
    for table in {id(t): t for d in declarations().values() for t in d.tables}.values()
]

SOURCES_TABLE = Table(
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
    indexes=("publisher",),  # by key: the primary key's own index
    storage="by key",
)

TABLES = [
    PARTNERSHIPS,
    FUNDING,
    # a table several types write (funded_equipment) is listed once
    *DECLARED_TABLES,
    SOURCES_TABLE,
    TIMELINE,
    PAIRS,
    PAIR_ENDS,
    FUNDING_PARTS,
    CORRECTIONS,
    MENTIONS,
    LOG,
    LOG_DIRECTORY,
]
BY_NAME = {table.name: table for table in TABLES}
# Moved by tallies (projections.tally) of the rows above, never keyed by event:
DERIVED = ("partnerships", "partnership_funding", "_pair_ends", "_funding_parts")


def create_sql(table: Table) -> list[str]:
    """The statements that make ``table`` and its indexes, as its ``storage`` says."""
    pk = ", ".join(f'"{c}"' for c in table.primary_key)
    if table.storage == "position":  # its one key column is the rowid
        (key,) = table.primary_key
        columns = ", ".join(
            f'"{c}" INTEGER PRIMARY KEY' if c == key else f'"{c}"' for c in table.columns
        )
        statements = [f'CREATE TABLE IF NOT EXISTS "{table.name}" ({columns})']
    else:
        columns = ", ".join(f'"{c}"' for c in table.columns)
        rest = " WITHOUT ROWID" if table.storage == "by key" else ""
        statements = [
            f'CREATE TABLE IF NOT EXISTS "{table.name}" ({columns}, PRIMARY KEY ({pk})){rest}'
        ]
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
    """The views documented in docs/views.md (`python -m diplo.projections.tables`)."""
    out = [
        "# The views",
        "",
        "Generated from the declarations of the event types: "
        "`python -m diplo.projections.tables > docs/views.md` rewrites it. Do not edit by hand.",
        "",
    ]
    for table in TABLES:
        out += [f"**`{table.name}`** — {table.description}", ""]
        out += [f"- `{c}`: {d}" for c, d in table.columns.items()]
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    print(markdown(), end="")
