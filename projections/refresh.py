"""Derived rows that depend on several events: refreshed for what a chunk touched, in SQL;
the figures per country pair are moved by a ``Tally`` of the rows each chunk changed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from diplo.projections.tables import STANDING as ACTIVE

if TYPE_CHECKING:
    from sqlite_utils import Database

    from diplo.projections.tally import Tally


@dataclass
class Touched:
    """The projects, people and grants whose derived rows must be recomputed."""

    projects: set[str] = field(default_factory=set)
    people: set[str] = field(default_factory=set)
    grants: set[str] = field(default_factory=set)
    funded: set[str] = field(default_factory=set)  # grants and loans money is disbursed under

    def note(self, table: str, row: dict[str, Any]) -> None:
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

    def refresh(self, db: Database, tally: Tally) -> None:
        """Recompute what was touched; money disbursed under a grant or loan moves to its
        (possibly corrected) pair: out of the tally as it stood, back in as it stands."""
        for of in self.funded:
            tally.add({"disbursements": _disbursements(db, "WHERE of = ?", [of])}, -1)
            db.execute(DISBURSEMENT_PAIR + " WHERE of = :g", {"g": of})
            tally.add({"disbursements": _disbursements(db, "WHERE of = ?", [of])}, +1)
        for grant in self.grants:
            db.execute(RETRACTED_GRANT_TIMELINE, {"g": grant})
        for project in self.projects:
            db.execute(PROJECT_STATUS + " WHERE project = :p", {"p": project})
        for person in self.people:
            db.execute(APPOINTMENT + " WHERE person = :p", {"p": person})
        for grant in self.grants:
            db.execute(EQUIPMENT + " AND grant = :g", {"g": grant})


def refresh_all(db: Database, tally: Tally) -> None:
    """Every derived row at once: the same statements as above, set-based (for rebuilds);
    ``tally`` holds every other row of the rebuild, disbursements (paired only now) join it.
    Funded items are joined to their grants and deliveries once (``ALL_EQUIPMENT``), not
    looked up six times each."""
    db.execute(DISBURSEMENT_PAIR)
    tally.add({"disbursements": _disbursements(db, "WHERE pair IS NOT NULL", [])}, +1)
    tally.write(db)
    for (grant,) in db.execute("SELECT grant FROM grants WHERE status = 'retracted'").fetchall():
        db.execute(RETRACTED_GRANT_TIMELINE, {"g": grant})
    db.execute(PROJECT_STATUS.replace(":p", "projects.project"))
    db.execute(APPOINTMENT.replace(":p", "people.person"))
    db.execute(ALL_EQUIPMENT)


def _disbursements(db: Database, where: str, parameters: list[str]) -> Iterator[dict[str, Any]]:
    """The disbursement rows (the columns a tally counts), streamed."""
    columns = ("pair", "value", "currency", "qualifier", "status")
    for row in db.execute(f"SELECT {', '.join(columns)} FROM disbursements {where}", parameters):
        yield dict(zip(columns, row, strict=True))


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

# ``EQUIPMENT`` for every funded item at once (a rebuild): each item's grant and its grant's
# standing deliveries joined once (a third faster on 1M events than ``EQUIPMENT`` per item;
# tests hold a rebuild equal to catching up, which runs ``EQUIPMENT``). An item whose grant
# is not in the views takes NULLs and "funded", as there.
ALL_EQUIPMENT = (
    "UPDATE funded_equipment SET donor = x.donor, recipient = x.recipient, "
    "recipient_country = x.recipient_country, delivered_on = x.delivered_on, "
    "status = CASE WHEN funded_equipment.status = 'retracted' THEN 'retracted' "
    "WHEN x.grant_status = 'retracted' THEN 'retracted' "
    "WHEN x.deliveries THEN 'delivered' ELSE 'funded' END "
    "FROM (SELECT e.rowid AS id, g.donor, g.recipient, g.recipient_country, "
    "g.status AS grant_status, d.delivered_on, d.deliveries "
    "FROM funded_equipment e LEFT JOIN grants g ON g.grant = e.grant "
    "LEFT JOIN (SELECT grant, MIN(occurred_on) AS delivered_on, COUNT(*) AS deliveries "
    f"FROM deliveries WHERE {ACTIVE} GROUP BY grant) d ON d.grant = e.grant "
    "WHERE e.source = 'grant') x "
    "WHERE funded_equipment.rowid = x.id"
)
