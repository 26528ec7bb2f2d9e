"""Report data from the views: titles, figures, tables and chart series — no formatting here.

Partial dates sort by their earliest (then latest) day and are shown as recorded; amounts stay
decimal strings.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from diplo.events.basic import country_code
from diplo.events.errors import InvalidEvent, Problem
from diplo.projections import charts, provenance
from diplo.projections.charts import Chart
from diplo.projections.fingerprint import pair_kinds
from diplo.projections.money import NOUNS, count_standing, only, standing, sum_standing, tally
from diplo.projections.provenance import Cited, Named

if TYPE_CHECKING:
    from sqlite_utils import Database

ACTIVE = "status != 'retracted'"


class Rows:
    """The rows of one query, read afresh from its cursor each time they are walked: a report
    of 200,000 grants never holds them all, since figures are folded as the rows pass and the
    JSON and CSV renderers write each row as it comes. ``sql`` selects them, ``order`` (an
    ORDER BY clause) orders them when they are walked: a count, a fold or a membership test
    asks ``sql`` alone."""

    def __init__(self, db: Database, sql: str, params: Any = (), order: str = "") -> None:
        self.db, self.sql, self.params, self.order = db, sql, params, order

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.db.query(f"{self.sql} {self.order}", self.params))

    def count(self) -> int:
        """How many rows there are, counted by SQLite: walking them makes each row whole."""
        row = self.db.execute(f"SELECT COUNT(*) FROM ({self.sql})", self.params).fetchone()
        return int(row[0])

    def columns(self) -> list[str]:
        """The names of the columns each row has."""
        cursor = self.db.execute(f"SELECT * FROM ({self.sql}) LIMIT 0", self.params)
        return [column[0] for column in cursor.description]

    def filled(self, columns: list[str]) -> tuple[int, set[str]]:
        """How many rows there are, and which of ``columns`` some row fills (holds neither
        NULL nor ''), found by SQLite in one pass, without making a row."""
        held = set(self.columns())
        present = [c for c in dict.fromkeys(columns) if c in held]
        tests = "".join(f', MAX("{c}" IS NOT NULL AND "{c}" != \'\')' for c in present)
        found = self.db.execute(f"SELECT COUNT(*){tests} FROM ({self.sql})", self.params)
        count, *flags = found.fetchone()
        return int(count), {c for c, flag in zip(present, flags, strict=True) if flag}

    def of(self, *columns: str) -> Rows:
        """The same rows with only ``columns``, in no particular order: what a figure folds
        (``money.only``)."""
        names = ", ".join(f'"{column}"' for column in columns)
        return Rows(self.db, f"SELECT {names} FROM ({self.sql})", self.params)


def counted(rows: Iterable[Any]) -> int:
    """How many ``rows``: asked of SQLite for a ``Rows``, counted by walking any other."""
    return rows.count() if isinstance(rows, Rows) else sum(1 for _ in rows)


@dataclass
class Section:
    """A table of a report; ``table`` names the views table its rows come from. ``rows`` may
    be a ``Rows`` (walked again on each use) or a list."""

    title: str
    columns: list[str]
    rows: Iterable[dict[str, Any]]
    table: str = ""

    def walkable(self) -> Iterable[dict[str, Any]]:
        """The rows, in a form that can be walked more than once: as they are, unless they
        can be walked only once (an iterator), which is then held in a list."""
        if isinstance(self.rows, Iterator):
            self.rows = list(self.rows)
        return self.rows


@dataclass
class Report:
    """A report's data. ``kinds`` says which figures are counts or money (renderers group their
    digits); ``names`` gives registered ids their names; ``sources`` lists each event's sources."""

    title: str
    figures: list[tuple[str, str]] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    kinds: dict[str, str] = field(default_factory=dict)  # figure label -> "count" or "money"
    names: Named = field(default_factory=dict)
    sources: Cited | list[dict[str, Any]] = field(default_factory=list)
    subtitle: str = ""

    def count(self, label: str, value: int) -> None:
        self.figures.append((label, str(value)))
        self.kinds[label] = "count"

    def money(self, label: str, value: str) -> None:
        self.figures.append((label, value))
        self.kinds[label] = "money"

    def as_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "title": self.title,
            "figures": dict(self.figures),
            "sections": {s.title: s.rows for s in self.sections},
        }
        if self.sources:
            data["sources"] = self.sources
        return data


def _rows(db: Database, sql: str, params: Any = ()) -> list[dict[str, Any]]:
    return list(db.query(sql, params))


def _dated(db: Database, table: str, where: str = "", params: Any = (), extra: str = "") -> Rows:
    """Rows of ``table`` in valid-time order: a partial date sorts by its earliest, then latest,
    day (text order would put ``2025-01?`` after ``2025-01-05``). Retracted rows stay listed,
    marked ``retracted``: figures count only the standing ones (``standing``)."""
    condition = f"WHERE {where}" if where else ""
    return Rows(
        db,
        f'SELECT x.*{extra} FROM "{table}" x LEFT JOIN timeline t USING (key) {condition}',
        params,
        order="ORDER BY t.earliest, t.latest, t.position",
    )


# Every listing shows, beside each amount, its qualifier and the amounts stated in other
# currencies, and for each event its number of independent sources.
MONEY = ["value", "currency", "qualifier"]
GRANT_COLUMNS = [
    "grant",
    "signed_on",
    "donor",
    "recipient",
    "programme",
    "under",
    "purpose",
    *MONEY,
    "equivalents",
    "cofinanciers",
    "sector",
    "sources",
    "status",
]
EQUIPMENT_COLUMNS = [
    "on",
    "source",
    "grant",
    "delivery",
    "donor",
    "recipient",
    "description",
    "category",
    "quantity",
    "value",
    "currency",
    "delivery_total",
    "cofinanciers",
    "sources",
    "status",
]
MEETING_COLUMNS = [
    "occurred_on",
    "meeting",
    "countries",
    "participants",
    "place",
    "summary",
    "sources",
    "status",
]
PROJECT_COLUMNS = [
    "project",
    "name",
    "country",
    "region",
    "city",
    "beds",
    "partners",
    "financing",
    "planned_start",
    "sources",
    "status",
]
AGREEMENT_COLUMNS = [
    "agreement",
    "occurred_on",
    "kind",
    "title",
    "parties",
    *MONEY,
    "equivalents",
    "programme",
    "signatories",
    "sources",
    "status",
]
LOAN_COLUMNS = [
    "loan",
    "signed_on",
    "lender",
    "borrower",
    "purpose",
    *MONEY,
    "equivalents",
    "interest_rate",
    "maturity_years",
    "grace_years",
    "tied",
    "under",
    "programme",
    "sector",
    "sources",
    "status",
]
DISBURSEMENT_COLUMNS = ["disbursement", "occurred_on", "of", "to", *MONEY, "sources", "status"]
TECHNICAL_COLUMNS = [
    "activity",
    "occurred_on",
    "provider",
    "recipient",
    "kind",
    "field",
    "people",
    "period",
    "under",
    *MONEY,
    "sources",
    "status",
]
COOPERATION_COLUMNS = [
    "cooperation",
    "occurred_on",
    "field",
    "parties",
    "description",
    "sources",
    "status",
]
VISIT_COLUMNS = [
    "visit",
    "occurred_on",
    "visitor",
    "visitor_country",
    "host",
    "kind",
    "purpose",
    "sources",
    "status",
]
STATEMENT_COLUMNS = [
    "statement",
    "occurred_on",
    "by",
    "by_country",
    "about",
    "kind",
    "text",
    "sources",
    "status",
]
COMMITMENT_COLUMNS = [
    "occurred_on",
    "by",
    "about",
    "statement",
    "meeting",
    *MONEY,
    "sources",
    "status",
]
RELATIONS_COLUMNS = ["occurred_on", "pair", "sources", "status"]
TIMELINE_COLUMNS = [
    "occurred_on",
    "type",
    "summary",
    "countries",
    "key",
    "recorded_at",
    "sources",
    "status",
]
# Independent sources (distinct publishers, corroborations included) of a timeline row.
TIMELINE_SOURCES = (
    "SELECT t.*, (SELECT COUNT(DISTINCT s.publisher) FROM sources s WHERE s.key = t.key) "
    "AS sources FROM timeline t"
)
# The delivery's amount for its whole list, beside each of its items (never summed with them).
DELIVERY_TOTAL = (
    ", (SELECT trim(coalesce(CASE d.qualifier WHEN 'up-to' THEN 'up to ' "
    "WHEN 'about' THEN 'about ' ELSE '' END, '') || d.value || ' ' || d.currency) "
    "FROM deliveries d WHERE d.key = x.key AND x.source = 'delivery') AS delivery_total"
)


def scoped(build: Any) -> Any:
    """Put the views' scope (as-of position, valid-at day) at the head of a report's figures,
    and give the report the names of the ids its rows mention."""

    def report(db: Database, *args: str) -> Report:
        result: Report = build(db, *args)
        scope = [(name, value) for name, value in db.execute("SELECT name, value FROM _scope")]
        result.figures = scope + result.figures
        result.names = provenance.names(db)
        return result

    report.__name__ = build.__name__
    return report


def grants(db: Database) -> Report:
    rows = _dated(db, "grants")
    report = Report("Grants", sections=[Section("Grants", GRANT_COLUMNS, rows, "grants")])
    report.count("grants", count_standing(rows))
    _money(report, "granted", rows)
    report.charts += charts.funding(rows, [])
    return report


def equipment(db: Database) -> Report:
    rows = _dated(db, "funded_equipment", extra=DELIVERY_TOTAL)
    report = Report(
        "Funded equipment",
        sections=[Section("Equipment", EQUIPMENT_COLUMNS, rows, "funded_equipment")],
    )
    _pieces(report, rows)
    report.charts.append(charts.equipment(rows, provenance.names(db)))
    return report


def projects(db: Database) -> Report:
    rows = _dated(db, "projects")
    report = Report("Projects", sections=[Section("Projects", PROJECT_COLUMNS, rows, "projects")])
    report.count("projects", count_standing(rows))
    report.count("beds planned", sum_standing(rows, "beds"))
    return report


def meetings(db: Database) -> Report:
    rows = _dated(db, "meetings")
    report = Report("Meetings", sections=[Section("Meetings", MEETING_COLUMNS, rows, "meetings")])
    report.count("meetings", count_standing(rows))
    return report


def agreements(db: Database) -> Report:
    """Agreements and what they agreed: amounts agreed, never added to what was granted or
    lent under them."""
    rows = _dated(db, "agreements")
    report = Report(
        "Agreements", sections=[Section("Agreements", AGREEMENT_COLUMNS, rows, "agreements")]
    )
    report.count("agreements", count_standing(rows))
    _money(report, "agreed", rows)
    return report


def loans(db: Database) -> Report:
    """Loans with their terms: amounts lent (often a ceiling), never counted as granted."""
    rows = _dated(db, "loans")
    report = Report("Loans", sections=[Section("Loans", LOAN_COLUMNS, rows, "loans")])
    report.count("loans", count_standing(rows))
    _money(report, "lent", rows)
    return report


def disbursements(db: Database) -> Report:
    rows = _dated(db, "disbursements")
    report = Report(
        "Disbursements",
        sections=[Section("Disbursements", DISBURSEMENT_COLUMNS, rows, "disbursements")],
    )
    report.count("disbursements", count_standing(rows))
    _money(report, "disbursed", rows)
    return report


def cooperation(db: Database) -> Report:
    """Cooperation established, and technical cooperation provided (the main table)."""
    established = _dated(db, "cooperations")
    provided = _dated(db, "technical_cooperation")
    report = Report(
        "Cooperation",
        sections=[
            Section("Cooperations established", COOPERATION_COLUMNS, established, "cooperations"),
            Section("Technical cooperation", TECHNICAL_COLUMNS, provided, "technical_cooperation"),
        ],
    )
    report.count("cooperations established", count_standing(established))
    report.count("technical cooperation activities", count_standing(provided))
    report.count("people (where stated)", sum_standing(provided, "people"))
    _money(report, "provided", provided)
    return report


def visits(db: Database) -> Report:
    rows = _dated(db, "visits")
    report = Report("Visits", sections=[Section("Visits", VISIT_COLUMNS, rows, "visits")])
    report.count("visits", count_standing(rows))
    return report


def statements(db: Database) -> Report:
    """What one side said about another, and the commitments stated (the main table is the
    statements)."""
    said = _dated(db, "statements")
    committed = _dated(db, "commitments")
    report = Report(
        "Statements",
        sections=[
            Section("Commitments", COMMITMENT_COLUMNS, committed, "commitments"),
            Section("Statements", STATEMENT_COLUMNS, said, "statements"),
        ],
    )
    report.count("statements", count_standing(said))
    report.count("commitments", count_standing(committed))
    return report


def timeline(db: Database) -> Report:
    rows = Rows(db, TIMELINE_SOURCES, order="ORDER BY earliest, latest, position")
    report = Report("Timeline", sections=[Section("Timeline", TIMELINE_COLUMNS, rows, "timeline")])
    report.count("events", count_standing(rows))
    report.charts.append(charts.activity(rows))
    return report


def partnership(db: Database, a: str, b: str) -> Report:
    """Everything between two countries: figures, the activity itself, its timeline and the
    sources of every event in it. Retracted events stay listed (marked), counted nowhere."""
    pair = "-".join(sorted((_code(a, "A"), _code(b, "B"))))
    p = {"p": pair}
    counts = next(iter(_rows(db, "SELECT * FROM partnerships WHERE pair = :p", p)), {})
    sections = _pair_sections(db, p)
    funding_rows = _rows(
        db, "SELECT * FROM partnership_funding WHERE pair = :p ORDER BY kind, currency", p
    )
    # The keys of the pair's activity, in a temporary table: a busy pair's timeline and
    # sources are read as they are written, never held in memory (30,000 events of a 1M
    # ledger took 129 MB held), and walked several times without the union made again.
    related = _kept_keys(
        db, " UNION ".join(f"SELECT key FROM ({cast(Rows, s.rows).sql})" for s in sections), p
    )
    timeline_rows = Rows(
        db, f"{TIMELINE_SOURCES} WHERE key IN ({related})", p, "ORDER BY earliest, latest, position"
    )
    report = Report(f"Partnership {pair}")
    for kind in pair_kinds():
        report.count(kind.replace("_", " "), counts.get(kind, 0))
    report.figures += [
        ("first activity", counts.get("first_activity") or "—"),
        ("last activity", counts.get("last_activity") or "—"),
    ]
    by_table = {section.table: section.rows for section in sections}
    provided = tally("provided", by_table["technical_cooperation"])
    _money_figures(report, funding_rows + provided, tuple(NOUNS))
    report.sections = [*sections, Section("Timeline", TIMELINE_COLUMNS, timeline_rows, "timeline")]
    report.sources = Cited(db, f"SELECT * FROM timeline WHERE key IN ({related})", p)
    report.count("events without a source", sum(not e["sources"] for e in standing(report.sources)))
    activity = charts.activity(timeline_rows)
    report.charts = [activity, *charts.funding(by_table["grants"], activity.labels)]
    report.charts.append(charts.equipment(by_table["funded_equipment"], provenance.names(db)))
    countries = provenance.countries()
    report.subtitle = " and ".join(countries.get(code, code) for code in pair.split("-"))
    return report


def _kept_keys(db: Database, sql: str, params: dict[str, str]) -> str:
    """Keep the keys ``sql`` selects in a temporary table of this report's own (another
    report built on the connection keeps its own: either may be walked later), gone with
    the connection or the read transaction; return the query that reads them."""
    table = f"temp._keys_{next(_KEPT)}"
    db.execute(f"CREATE TEMP TABLE {table.split('.')[1]} (key TEXT PRIMARY KEY) WITHOUT ROWID")
    db.execute(f"INSERT OR IGNORE INTO {table} {sql}", params)
    return f"SELECT key FROM {table}"


_KEPT = itertools.count()  # numbers the reports' temporary tables of keys (``_kept_keys``)


def _pair_sections(db: Database, p: dict[str, str]) -> list[Section]:
    """The pair's activity, table by table; rows of retracted events included (marked)."""
    keys = "SELECT key FROM _pairs WHERE pair = :p"
    of_pair = f"x.key IN ({keys})"
    listed = "(',' || x.pairs || ',') LIKE ('%,' || :p || ',%')"

    def section(title: str, columns: list[str], table: str, where: str, extra: str = "") -> Section:
        return Section(title, columns, _dated(db, table, where, p, extra), table)

    return [
        section("Meetings", MEETING_COLUMNS, "meetings", of_pair),
        section("Visits", VISIT_COLUMNS, "visits", "x.pair = :p"),
        section("Statements", STATEMENT_COLUMNS, "statements", listed),
        section("Commitments", COMMITMENT_COLUMNS, "commitments", listed),
        section("Agreements", AGREEMENT_COLUMNS, "agreements", listed),
        section("Grants", GRANT_COLUMNS, "grants", "x.pair = :p"),
        section("Loans", LOAN_COLUMNS, "loans", "x.pair = :p"),
        section("Disbursements", DISBURSEMENT_COLUMNS, "disbursements", "x.pair = :p"),
        section(
            "Equipment",
            EQUIPMENT_COLUMNS,
            "funded_equipment",
            f"{of_pair} OR x.source = 'grant' AND "
            "x.grant IN (SELECT grant FROM grants WHERE pair = :p)",
            DELIVERY_TOTAL,
        ),
        section("Projects", PROJECT_COLUMNS, "projects", of_pair),
        section("Technical cooperation", TECHNICAL_COLUMNS, "technical_cooperation", "x.pair = :p"),
        section("Cooperations", COOPERATION_COLUMNS, "cooperations", of_pair),
        section("Diplomatic relations", RELATIONS_COLUMNS, "diplomatic_relations", "x.pair = :p"),
    ]


KIND_NOUNS = NOUNS


def money_figure(row: dict[str, Any]) -> tuple[str, str]:
    """``("granted JPY", "up to 9,000,000 (3 of 4 grants state no amount)")``: a total told with
    its qualifier and with how many events of its kind it leaves out for lack of an amount."""
    noun = KIND_NOUNS[row["kind"]]
    label = f"{row['kind']} {row['currency']}" if row["currency"] else row["kind"]
    if row["currency"] is None:
        return label, f"not stated ({row['unstated']} of {row['events']} {noun})"
    prefix = {"up-to": "up to ", "about": "about "}.get(row["qualifier"] or "", "")
    whole, _, fraction = str(row["total"]).partition(".")
    total = f"{prefix}{int(whole):,}" + (f".{fraction}" if fraction else "")
    if row["unstated"]:
        total += f" ({row['unstated']} of {row['events']} {noun} state no amount)"
    return label, total


def _code(value: str, name: str) -> str:
    try:
        return country_code(value)
    except ValueError as error:
        raise InvalidEvent([Problem(str(error), name)]) from None


def _money(report: Report, kind: str, rows: Iterable[dict[str, Any]]) -> None:
    """The totals of one kind of money in ``rows`` (standing ones only), per currency."""
    _money_figures(report, tally(kind, rows), (kind,))


def _money_figures(
    report: Report, totals: list[dict[str, Any]], kinds: tuple[str, ...] = ()
) -> None:
    """Each total as a figure with its qualifier and what it leaves out, then, per kind, how
    many of its events state no amount (said for every kind of ``kinds``, even when none)."""
    for row in totals:
        label, text = money_figure(row)
        if text.replace(",", "") == row["total"]:
            report.money(label, row["total"])  # exact: the renderer groups the digits
        else:
            report.figures.append((label, text))
    unstated = dict.fromkeys(kinds, 0) | {row["kind"]: row["unstated"] for row in totals}
    for kind, count in unstated.items():
        report.count(f"{NOUNS[kind]} with no amount stated", count)


def _pieces(report: Report, rows: Iterable[dict[str, Any]]) -> None:
    """Rows are kinds of equipment; pieces are their stated quantities (one pass)."""
    listed = pieces = unstated = 0
    for row in standing(only(rows, "status", "quantity")):
        listed += 1
        pieces += row["quantity"] or 0
        unstated += row["quantity"] is None
    report.count("equipment rows", listed)
    report.count("pieces (where stated)", pieces)
    report.count("rows with no quantity stated", unstated)


grants, equipment, projects, meetings, timeline, partnership = map(
    scoped, (grants, equipment, projects, meetings, timeline, partnership)
)
agreements, loans, disbursements, cooperation, visits, statements = map(
    scoped, (agreements, loans, disbursements, cooperation, visits, statements)
)
