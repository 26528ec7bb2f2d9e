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

from diplo.projections.tables import PAIR_KINDS

ACTIVE = "status != 'retracted'"
KINDS = tuple(PAIR_KINDS)  # the partnerships columns that count activity, one per kind


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
            db.execute(PROJECT_STATUS + " WHERE project = :p", {"p": project})
        for person in self.people:
            db.execute(APPOINTMENT + " WHERE person = :p", {"p": person})
        for grant in self.grants:
            db.execute(EQUIPMENT + " AND grant = :g", {"g": grant})


def refresh_all(db: Database) -> None:
    """Every derived row at once: the same statements as above, set-based (for rebuilds)."""
    for (pair,) in db.execute("SELECT DISTINCT pair FROM _pairs").fetchall():
        _partnership(db, pair)
        _funding(db, pair)
    db.execute(PROJECT_STATUS.replace(":p", "projects.project"))
    db.execute(APPOINTMENT.replace(":p", "people.person"))
    db.execute(EQUIPMENT.replace(":g", "funded_equipment.grant"))


def _partnership(db: Database, pair: str) -> None:
    db.execute("DELETE FROM partnerships WHERE pair = ?", [pair])
    counts = dict(
        db.execute(
            f"SELECT kind, COUNT(DISTINCT key) FROM _pairs WHERE pair = ? AND {ACTIVE} "
            "GROUP BY kind",
            [pair],
        ).fetchall()
    )
    if not counts:
        return
    first = db.execute(
        f"SELECT occurred_on FROM _pairs WHERE pair = ? AND {ACTIVE} "
        "ORDER BY earliest, latest, occurred_on, key LIMIT 1",
        [pair],
    ).fetchone()[0]
    last = db.execute(
        f"SELECT occurred_on FROM _pairs WHERE pair = ? AND {ACTIVE} ORDER BY "
        "latest DESC, earliest DESC, occurred_on, key LIMIT 1",
        [pair],
    ).fetchone()[0]
    a, b = pair.split("-")
    columns = ["pair", "country_a", "country_b", *KINDS, "first_activity", "last_activity"]
    db.execute(
        f"INSERT INTO partnerships ({', '.join(map(repr, columns))}) "
        f"VALUES ({', '.join('?' * len(columns))})",
        [pair, a, b, *(counts.get(kind, 0) for kind in KINDS), first, last],
    )


def _funding(db: Database, pair: str) -> None:
    db.execute("DELETE FROM partnership_funding WHERE pair = ?", [pair])
    totals: dict[str, Decimal] = defaultdict(Decimal)
    counts: dict[str, int] = defaultdict(int)
    for currency, value in db.execute(
        f"SELECT currency, value FROM grants WHERE pair = ? AND {ACTIVE} AND value IS NOT NULL",
        [pair],
    ).fetchall():
        totals[currency] += Decimal(value)
        counts[currency] += 1
    for currency in sorted(totals):
        db.execute(
            "INSERT INTO partnership_funding VALUES (?,?,?,?)",
            [pair, currency, str(totals[currency]), counts[currency]],
        )


# A project's status is its latest standing milestone, unless its plan was retracted.
PROJECT_STATUS = (
    "UPDATE projects SET status = CASE WHEN status = 'retracted' THEN 'retracted' ELSE "
    f"COALESCE((SELECT milestone FROM milestones m WHERE m.project = :p AND m.{ACTIVE} "
    "ORDER BY m.position DESC LIMIT 1), 'planned') END"
)

# A person's current appointment is the latest standing one.
APPOINTMENT = (
    "UPDATE people SET "
    f"title = (SELECT title FROM appointments a WHERE a.person = :p AND a.{ACTIVE} "
    "ORDER BY a.position DESC LIMIT 1), "
    f"org = (SELECT org FROM appointments a WHERE a.person = :p AND a.{ACTIVE} "
    "ORDER BY a.position DESC LIMIT 1)"
)

# Funded items take the grant's parties, and are delivered once a delivery names the grant.
EQUIPMENT = (
    "UPDATE funded_equipment SET "
    "donor = (SELECT donor FROM grants g WHERE g.grant = :g), "
    "recipient = (SELECT recipient FROM grants g WHERE g.grant = :g), "
    "recipient_country = (SELECT recipient_country FROM grants g WHERE g.grant = :g), "
    "delivered_on = (SELECT MIN(occurred_on) FROM deliveries d "
    f"WHERE d.grant = :g AND d.{ACTIVE}), "
    "status = CASE WHEN status = 'retracted' THEN 'retracted' "
    f"WHEN EXISTS (SELECT 1 FROM deliveries d WHERE d.grant = :g AND d.{ACTIVE}) "
    "THEN 'delivered' ELSE 'funded' END WHERE source = 'grant'"
)
