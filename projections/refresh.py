"""Derived rows that depend on several events: refreshed for what a chunk touched, in SQL.

Totals are summed in Python with Decimal: SQLite would sum decimal strings as floats.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlite_utils import Database

ACTIVE = "status != 'retracted'"
KINDS = ("meetings", "grants", "deliveries", "projects", "cooperations")


@dataclass
class Touched:
    """The pairs, projects, people and grants whose derived rows must be recomputed."""

    pairs: set[str] = field(default_factory=set)
    projects: set[str] = field(default_factory=set)
    people: set[str] = field(default_factory=set)
    grants: set[str] = field(default_factory=set)

    def note(self, table: str, row: dict[str, Any]) -> None:
        if row.get("pair"):
            self.pairs.add(row["pair"])
        if table in ("projects", "milestones"):
            self.projects.add(row["project"])
        elif table in ("people", "appointments"):
            self.people.add(row["person"])
        elif table in ("grants", "funded_equipment", "deliveries") and row.get("grant"):
            self.grants.add(row["grant"])

    def refresh(self, db: Database) -> None:
        for pair in sorted(self.pairs):
            _partnership(db, pair)
            _funding(db, pair)
        for project in self.projects:
            _project_status(db, project)
        for person in self.people:
            _appointment(db, person)
        for grant in self.grants:
            _equipment(db, grant)


def _partnership(db: Database, pair: str) -> None:
    db.execute("DELETE FROM partnerships WHERE pair = ?", [pair])
    counts = dict(db.execute(
        f"SELECT kind, COUNT(DISTINCT key) FROM _pairs WHERE pair = ? AND {ACTIVE} GROUP BY kind",
        [pair]).fetchall())
    if not counts:
        return
    first = db.execute(f"SELECT occurred_on FROM _pairs WHERE pair = ? AND {ACTIVE} "
                       "ORDER BY earliest, latest LIMIT 1", [pair]).fetchone()[0]
    last = db.execute(f"SELECT occurred_on FROM _pairs WHERE pair = ? AND {ACTIVE} "
                      "ORDER BY latest DESC, earliest DESC LIMIT 1", [pair]).fetchone()[0]
    a, b = pair.split("-")
    db.execute("INSERT INTO partnerships VALUES (?,?,?,?,?,?,?,?,?,?)",
               [pair, a, b, *(counts.get(kind, 0) for kind in KINDS), first, last])


def _funding(db: Database, pair: str) -> None:
    db.execute("DELETE FROM partnership_funding WHERE pair = ?", [pair])
    totals: dict[str, Decimal] = defaultdict(Decimal)
    counts: dict[str, int] = defaultdict(int)
    for currency, value in db.execute(
            f"SELECT currency, value FROM grants WHERE pair = ? AND {ACTIVE} "
            "AND value IS NOT NULL", [pair]).fetchall():
        totals[currency] += Decimal(value)
        counts[currency] += 1
    for currency in sorted(totals):
        db.execute("INSERT INTO partnership_funding VALUES (?,?,?,?)",
                   [pair, currency, str(totals[currency]), counts[currency]])


def _project_status(db: Database, project: str) -> None:
    db.execute(
        "UPDATE projects SET status = CASE WHEN (SELECT status FROM projects WHERE project = :p) "
        "= 'retracted' THEN 'retracted' ELSE COALESCE((SELECT milestone FROM milestones "
        f"WHERE project = :p AND {ACTIVE} ORDER BY position DESC LIMIT 1), 'planned') END "
        "WHERE project = :p", {"p": project})


def _appointment(db: Database, person: str) -> None:
    latest = db.execute(f"SELECT title, org FROM appointments WHERE person = ? AND {ACTIVE} "
                        "ORDER BY position DESC LIMIT 1", [person]).fetchone() or (None, None)
    db.execute("UPDATE people SET title = ?, org = ? WHERE person = ?", [*latest, person])


def _equipment(db: Database, grant: str) -> None:
    """Funded items take the grant's parties, and are delivered once a delivery names it."""
    db.execute(
        "UPDATE funded_equipment SET "
        "donor = (SELECT donor FROM grants WHERE grant = :g), "
        "recipient = (SELECT recipient FROM grants WHERE grant = :g), "
        "recipient_country = (SELECT recipient_country FROM grants WHERE grant = :g), "
        f"delivered_on = (SELECT MIN(occurred_on) FROM deliveries WHERE grant = :g AND {ACTIVE}), "
        "status = CASE WHEN status = 'retracted' THEN 'retracted' "
        f"WHEN EXISTS (SELECT 1 FROM deliveries WHERE grant = :g AND {ACTIVE}) THEN 'delivered' "
        "ELSE 'funded' END WHERE source = 'grant' AND grant = :g", {"g": grant})
