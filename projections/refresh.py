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
    funded: set[str] = field(default_factory=set)  # grants and loans money is disbursed under

    def note(self, table: str, row: dict[str, Any]) -> None:
        if row.get("pair"):
            self.pairs.add(row["pair"])
        if table == "_pairs" or table == "agreements":
            self.pairs.update(p for p in (row.get("pairs") or "").split(",") if p)
        if table in ("projects", "milestones"):
            self.projects.add(row["project"])
        elif table in ("people", "appointments"):
            self.people.add(row["person"])
        elif table in ("grants", "funded_equipment", "deliveries") and row.get("grant"):
            self.grants.add(row["grant"])
        if table in ("grants", "loans", "disbursements"):
            funded = row.get("of") or row.get("grant") or row.get("loan")
            if funded:
                self.funded.add(funded)

    def refresh(self, db: Database) -> None:
        for of in self.funded:
            db.execute(DISBURSEMENT_PAIR + " WHERE of = :g", {"g": of})
            self.pairs.update(
                pair
                for (pair,) in db.execute("SELECT pair FROM disbursements WHERE of = ?", [of])
                if pair
            )
        for grant in self.grants:
            db.execute(RETRACTED_GRANT_TIMELINE, {"g": grant})
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
    db.execute(DISBURSEMENT_PAIR)
    for (grant,) in db.execute("SELECT grant FROM grants WHERE status = 'retracted'").fetchall():
        db.execute(RETRACTED_GRANT_TIMELINE, {"g": grant})
    for (pair,) in db.execute(
        "SELECT pair FROM _pairs UNION SELECT pair FROM disbursements WHERE pair IS NOT NULL"
    ).fetchall():
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


# Money of each kind a pair holds, from the table that states it; never mixed across kinds:
# an agreement's amount is agreed, not granted, even when a grant is signed under it.
FUNDING_KINDS = {
    "agreed": "SELECT a.value, a.currency, a.qualifier FROM agreements a JOIN _pairs p "
    "ON p.key = a.key AND p.kind = 'agreements' WHERE p.pair = ? AND a.status != 'retracted'",
    "granted": f"SELECT value, currency, qualifier FROM grants WHERE pair = ? AND {ACTIVE}",
    "lent": f"SELECT value, currency, qualifier FROM loans WHERE pair = ? AND {ACTIVE}",
    "disbursed": "SELECT value, currency, qualifier FROM disbursements "
    f"WHERE pair = ? AND {ACTIVE}",
}


def _funding(db: Database, pair: str) -> None:
    """Per kind and currency: the exact sum, how many events it sums, how many of that kind
    state no amount, and whether it includes ceilings (up-to) or approximations (about)."""
    db.execute("DELETE FROM partnership_funding WHERE pair = ?", [pair])
    for kind, query in FUNDING_KINDS.items():
        rows = db.execute(query, [pair]).fetchall()
        if not rows:
            continue
        unstated = sum(1 for value, _, _ in rows if value is None)
        totals: dict[str, Decimal] = defaultdict(Decimal)
        counts: dict[str, int] = defaultdict(int)
        qualifiers: dict[str, set[str]] = defaultdict(set)
        for value, currency, qualifier in rows:
            if value is not None:
                totals[currency] += Decimal(value)
                counts[currency] += 1
                qualifiers[currency].add(qualifier or "exact")
        currencies: list[str | None] = [*sorted(totals)] or [None]  # None: no amount stated
        for currency in currencies:
            db.execute(
                "INSERT INTO partnership_funding VALUES (?,?,?,?,?,?,?,?)",
                [
                    pair,
                    kind,
                    currency,
                    str(totals[currency]) if currency else None,
                    _qualifier(qualifiers[currency]) if currency else None,
                    counts[currency] if currency else 0,
                    unstated,
                    len(rows),
                ],
            )


def _qualifier(found: set[str]) -> str | None:
    """A total is a ceiling if any part of it is one; about if any part is approximate."""
    if "up-to" in found:
        return "up-to"
    return "about" if "about" in found else None


# A disbursement counts toward the pair of the grant or loan it is paid under.
DISBURSEMENT_PAIR = (
    "UPDATE disbursements SET pair = COALESCE("
    "(SELECT pair FROM grants g WHERE g.grant = disbursements.of), "
    "(SELECT pair FROM loans l WHERE l.loan = disbursements.of))"
)

# When a grant's signing is retracted, what it funded is no longer told as standing anywhere.
RETRACTED_GRANT_TIMELINE = (
    "UPDATE timeline SET status = 'retracted' WHERE key IN (SELECT key FROM funded_equipment "
    "WHERE grant = :g AND source = 'grant') AND EXISTS (SELECT 1 FROM grants "
    "WHERE grant = :g AND status = 'retracted')"
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
    "WHEN EXISTS (SELECT 1 FROM grants g WHERE g.grant = :g AND g.status = 'retracted') "
    "THEN 'retracted' "
    f"WHEN EXISTS (SELECT 1 FROM deliveries d WHERE d.grant = :g AND d.{ACTIVE}) "
    "THEN 'delivered' ELSE 'funded' END WHERE source = 'grant'"
)
