"""Report data from the views: titles, figures, tables and chart series — no formatting here.

Partial dates sort by their earliest (then latest) day and are shown as recorded; amounts stay
decimal strings.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from diplo.events.errors import InvalidEvent, Problem
from diplo.events.values import _country

if TYPE_CHECKING:
    from sqlite_utils import Database

ACTIVE = "status != 'retracted'"


@dataclass
class Section:
    title: str
    columns: list[str]
    rows: list[dict[str, Any]]


@dataclass
class Chart:
    title: str
    kind: str  # "stacked" (series over x labels) or "bar" (one value per label)
    labels: list[str]
    series: dict[str, list[float]]


@dataclass
class Report:
    title: str
    figures: list[tuple[str, str]] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)

    def as_data(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "figures": dict(self.figures),
            "sections": {s.title: s.rows for s in self.sections},
        }


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
    """Put the views' scope (as-of position, valid-at day) at the head of a report's figures."""

    def report(db: Database, *args: str) -> Report:
        result: Report = build(db, *args)
        scope = [(name, value) for name, value in db.execute("SELECT name, value FROM _scope")]
        result.figures = scope + result.figures
        return result

    report.__name__ = build.__name__
    return report


def grants(db: Database) -> Report:
    rows = _dated(db, "grants")
    report = Report(
        "Grants", [("grants", str(len(rows)))], [Section("Grants", GRANT_COLUMNS, rows)]
    )
    report.figures += [(f"total {c}", str(v)) for c, v in _totals(rows).items()]
    report.charts.append(_funding_chart(_totals(rows)))
    return report


def equipment(db: Database) -> Report:
    rows = _dated(db, "funded_equipment")
    report = Report(
        "Funded equipment",
        [("items", str(len(rows)))],
        [Section("Equipment", EQUIPMENT_COLUMNS, rows)],
    )
    report.charts.append(_equipment_chart(rows, db))
    return report


def projects(db: Database) -> Report:
    rows = _dated(db, "projects")
    beds = sum(r["beds"] or 0 for r in rows)
    return Report(
        "Projects",
        [("projects", str(len(rows))), ("beds planned", str(beds))],
        [Section("Projects", PROJECT_COLUMNS, rows)],
    )


def meetings(db: Database) -> Report:
    rows = _dated(db, "meetings")
    return Report(
        "Meetings", [("meetings", str(len(rows)))], [Section("Meetings", MEETING_COLUMNS, rows)]
    )


def timeline(db: Database) -> Report:
    rows = _rows(db, "SELECT * FROM timeline ORDER BY earliest, latest, position")
    report = Report(
        "Timeline", [("events", str(len(rows)))], [Section("Timeline", TIMELINE_COLUMNS, rows)]
    )
    report.charts.append(_activity_chart(rows))
    return report


def partnership(db: Database, a: str, b: str) -> Report:
    """Everything between two countries: figures, the activity itself, and its timeline."""
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
    report.figures = [
        (k, str(counts.get(k, 0)))
        for k in ("meetings", "grants", "deliveries", "projects", "cooperations")
    ]
    report.figures += [
        ("first activity", counts.get("first_activity") or "—"),
        ("last activity", counts.get("last_activity") or "—"),
    ]
    report.figures += [money_figure(r) for r in funding_rows]
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
    report.charts = [
        _activity_chart(timeline_rows),
        _funding_chart({c: Decimal(t) for c, t in funding.items()}),
        _equipment_chart(equipment_rows, db),
    ]
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
    total = f"{prefix}{row['total']}"
    if row["unstated"]:
        total += f" ({row['unstated']} of {row['events']} {noun} state no amount)"
    return label, total


def _code(value: str, name: str) -> str:
    try:
        return _country(value)
    except ValueError as error:
        raise InvalidEvent([Problem(str(error), name)]) from None


def _totals(rows: list[dict[str, Any]]) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for row in rows:
        if row["value"] is not None:
            totals[row["currency"]] += Decimal(row["value"])
    return dict(sorted(totals.items()))


def _activity_chart(rows: list[dict[str, Any]]) -> Chart:
    years = sorted({r["earliest"][:4] for r in rows})
    by_type: dict[str, Counter[str]] = defaultdict(Counter)
    for row in rows:
        by_type[row["type"]][row["earliest"][:4]] += 1
    series = {t: [float(c[y]) for y in years] for t, c in sorted(by_type.items())}
    return Chart("Activity per year by type", "stacked", years, series)


def _funding_chart(totals: dict[str, Decimal]) -> Chart:
    return Chart(
        "Funding per currency", "bar", list(totals), {"total": [float(v) for v in totals.values()]}
    )


def _equipment_chart(rows: list[dict[str, Any]], db: Database) -> Chart:
    names = dict(db.execute("SELECT org, name FROM organizations").fetchall())
    counts: Counter[str] = Counter()
    for row in rows:
        if row["recipient"]:
            counts[names.get(row["recipient"], row["recipient"])] += row["quantity"] or 1
    labels = sorted(counts)
    return Chart(
        "Equipment by recipient (items)",
        "bar",
        labels,
        {"items": [float(counts[r]) for r in labels]},
    )


grants, equipment, projects, meetings, timeline, partnership = map(
    scoped, (grants, equipment, projects, meetings, timeline, partnership)
)
