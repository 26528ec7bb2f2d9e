"""Report data from the views: titles, figures, tables and chart series — no formatting here.

Partial dates sort by their earliest (then latest) day and are shown as recorded; amounts stay
decimal strings.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from diplo.events.errors import InvalidEvent, Problem
from diplo.events.values import _country
from diplo.projections import charts, provenance
from diplo.projections.charts import Chart

if TYPE_CHECKING:
    from sqlite_utils import Database

ACTIVE = "status != 'retracted'"


@dataclass
class Section:
    title: str
    columns: list[str]
    rows: list[dict[str, Any]]


@dataclass
class Report:
    """A report's data. ``kinds`` says which figures are counts or money (renderers group their
    digits); ``names`` gives registered ids their names; ``sources`` lists each event's sources."""

    title: str
    figures: list[tuple[str, str]] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    kinds: dict[str, str] = field(default_factory=dict)  # figure label -> "count" or "money"
    names: dict[str, str] = field(default_factory=dict)
    sources: list[dict[str, Any]] = field(default_factory=list)
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


def _dated(db: Database, table: str, where: str = "", params: Any = ()) -> list[dict[str, Any]]:
    """Rows of ``table`` in valid-time order: a partial date sorts by its earliest, then latest,
    day (text order would put ``2025-01?`` after ``2025-01-05``)."""
    condition = f"x.{ACTIVE}" + (f" AND ({where})" if where else "")
    return _rows(
        db,
        f'SELECT x.* FROM "{table}" x LEFT JOIN timeline t USING (key) '
        f"WHERE {condition} ORDER BY t.earliest, t.latest, t.position",
        params,
    )


GRANT_COLUMNS = [
    "grant",
    "signed_on",
    "donor",
    "recipient",
    "programme",
    "purpose",
    "value",
    "currency",
    "sector",
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
    "quantity",
    "value",
    "currency",
    "status",
]
MEETING_COLUMNS = [
    "occurred_on",
    "meeting",
    "countries",
    "participants",
    "place",
    "summary",
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
    "status",
    "planned_start",
]
TIMELINE_COLUMNS = ["occurred_on", "type", "summary", "countries", "key", "recorded_at", "status"]


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
    report = Report("Grants", sections=[Section("Grants", GRANT_COLUMNS, rows)])
    report.count("grants", len(rows))
    _amounts(report, rows, "total")
    report.charts += charts.funding(rows, [])
    return report


def equipment(db: Database) -> Report:
    rows = _dated(db, "funded_equipment")
    report = Report("Funded equipment", sections=[Section("Equipment", EQUIPMENT_COLUMNS, rows)])
    _pieces(report, rows)
    report.charts.append(charts.equipment(rows, provenance.names(db)))
    return report


def projects(db: Database) -> Report:
    rows = _dated(db, "projects")
    report = Report("Projects", sections=[Section("Projects", PROJECT_COLUMNS, rows)])
    report.count("projects", len(rows))
    report.count("beds planned", sum(r["beds"] or 0 for r in rows))
    return report


def meetings(db: Database) -> Report:
    rows = _dated(db, "meetings")
    report = Report("Meetings", sections=[Section("Meetings", MEETING_COLUMNS, rows)])
    report.count("meetings", len(rows))
    return report


def timeline(db: Database) -> Report:
    rows = _rows(db, "SELECT * FROM timeline ORDER BY earliest, latest, position")
    report = Report("Timeline", sections=[Section("Timeline", TIMELINE_COLUMNS, rows)])
    report.count("events", len(rows))
    report.charts.append(charts.activity(rows))
    return report


def partnership(db: Database, a: str, b: str) -> Report:
    """Everything between two countries: figures, the activity itself, its timeline and the
    sources of every event in it."""
    pair = "-".join(sorted((_code(a, "A"), _code(b, "B"))))
    p = {"p": pair}
    counts = next(iter(_rows(db, "SELECT * FROM partnerships WHERE pair = :p", p)), {})
    keys = f"SELECT key FROM _pairs WHERE pair = :p AND {ACTIVE}"
    grant_rows = _dated(db, "grants", "x.pair = :p", p)
    equipment_rows = _dated(
        db,
        "funded_equipment",
        f"x.key IN ({keys}) OR x.source = 'grant' AND "
        f"x.grant IN (SELECT grant FROM grants WHERE pair = :p AND {ACTIVE})",
        p,
    )
    project_rows = _dated(db, "projects", f"x.key IN ({keys})", p)
    funding_rows = _rows(
        db, "SELECT * FROM partnership_funding WHERE pair = :p ORDER BY kind, currency", p
    )
    funding = {r["currency"]: r["total"] for r in funding_rows if r["kind"] == "granted"}
    funding = {c: t for c, t in funding.items() if c}
    related = {r["key"] for r in _rows(db, keys, p)} | {r["key"] for r in equipment_rows}
    related |= {
        r["key"]
        for r in _rows(
            db,
            f"SELECT key FROM milestones WHERE project IN (SELECT project FROM projects WHERE "
            f"key IN ({keys})) AND {ACTIVE}",
            p,
        )
    }
    timeline_rows = _rows(
        db,
        "SELECT * FROM timeline WHERE key IN (SELECT value FROM "
        "json_each(:keys)) ORDER BY earliest, latest, position",
        {"keys": json.dumps(sorted(related))},
    )
    report = Report(f"Partnership {pair}")
    for kind in ("meetings", "grants", "deliveries", "projects", "cooperations"):
        report.count(kind, counts.get(kind, 0))
    report.figures += [
        ("first activity", counts.get("first_activity") or "—"),
        ("last activity", counts.get("last_activity") or "—"),
    ]
    for row in funding_rows:
        label, text = money_figure(row)
        if text.replace(",", "") == row["total"]:
            report.money(label, row["total"])  # exact: the renderer groups the digits
        else:
            report.figures.append((label, text))
    _unstated(report, grant_rows)
    report.sections = [
        Section("Meetings", MEETING_COLUMNS, _dated(db, "meetings", f"x.key IN ({keys})", p)),
        Section("Grants", GRANT_COLUMNS, grant_rows),
        Section("Equipment", EQUIPMENT_COLUMNS, equipment_rows),
        Section("Projects", PROJECT_COLUMNS, project_rows),
        Section(
            "Cooperations",
            ["cooperation", "field", "parties", "occurred_on", "description"],
            _dated(db, "cooperations", f"x.key IN ({keys})", p),
        ),
        Section("Timeline", TIMELINE_COLUMNS, timeline_rows),
    ]
    report.sources = provenance.sources(db, timeline_rows)
    report.count("events without a source", sum(not e["sources"] for e in report.sources))
    activity = charts.activity(timeline_rows)
    report.charts = [activity, *charts.funding(grant_rows, activity.labels)]
    report.charts.append(charts.equipment(equipment_rows, provenance.names(db)))
    countries = provenance.countries()
    report.subtitle = " and ".join(countries.get(code, code) for code in pair.split("-"))
    return report


KIND_NOUNS = {
    "agreed": "agreements",
    "granted": "grants",
    "lent": "loans",
    "disbursed": "disbursements",
}


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
        return _country(value)
    except ValueError as error:
        raise InvalidEvent([Problem(str(error), name)]) from None


def _amounts(report: Report, rows: list[dict[str, Any]], label: str) -> None:
    """Exact totals per currency, and how many rows state no amount."""
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for row in rows:
        if row["value"] is not None:
            totals[row["currency"]] += Decimal(row["value"])
    for currency, total in sorted(totals.items()):
        report.money(f"{label} {currency}", str(total))
    _unstated(report, rows)


def _unstated(report: Report, rows: list[dict[str, Any]]) -> None:
    report.count("grants with no amount stated", sum(r["value"] is None for r in rows))


def _pieces(report: Report, rows: list[dict[str, Any]]) -> None:
    """Rows are kinds of equipment; pieces are their stated quantities."""
    report.count("equipment rows", len(rows))
    report.count("pieces (where stated)", sum(r["quantity"] or 0 for r in rows))
    report.count("rows with no quantity stated", sum(r["quantity"] is None for r in rows))


grants, equipment, projects, meetings, timeline, partnership = map(
    scoped, (grants, equipment, projects, meetings, timeline, partnership)
)
