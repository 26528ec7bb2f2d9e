"""IATI activities from the ledger: one per grant, loan or project, with the events that act on it.

An activity opens with the event that creates its record (a grant signed, a loan signed, a
clinic planned) and gathers the later events that name that record (disbursements, equipment
funded, milestones). Its identifier is made from the reporting organisation and the record's
id, which diplo never changes: the same activity has the same identifier in every export.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from diplo.events.declaration import Data
from diplo.events.identifiers import iati_identifier
from diplo.projections.interop.current import Current

# The records that are IATI activities, by the event type that creates each.
OPENERS = {
    "GrantAgreementSigned": "grant",
    "LoanAgreementSigned": "loan",
    "ClinicPlanned": "project",
}


@dataclass
class Activity:
    """A grant, loan or project and every current event about it, in log order."""

    kind: str
    id: str
    opening: Current
    later: list[Current] = field(default_factory=list)

    @property
    def events(self) -> list[Current]:
        return [self.opening, *self.later]

    def identifier(self, reporting_org: str) -> str:
        return iati_identifier(reporting_org, self.kind, self.id)


@dataclass
class Gathered:
    """The activities, and the registered parties their rows name (by id)."""

    activities: list[Activity]
    parties: dict[str, Data]
    generated: str  # when the last exported event was recorded: a stable generated-datetime


def gather(events: Iterable[Current]) -> Gathered:
    """Group current events into activities, in the order their records were created."""
    found: dict[tuple[str, str], Activity] = {}
    parties: dict[str, Data] = {}
    generated = ""
    for event in events:
        generated = max(generated, event.meta.recorded_at)
        declaration, data = event.declaration, event.data
        if declaration.registers:
            parties[data[declaration.subject]] = data
        elif declaration.name in OPENERS:
            kind = OPENERS[declaration.name]
            found[(kind, data[declaration.subject])] = Activity(
                kind, data[declaration.subject], event
            )
        elif not declaration.creates:
            for kind in declaration.records:
                activity = found.get((kind, data.get(declaration.subject, "")))
                if activity is not None:
                    activity.later.append(event)
                    break
    return Gathered(list(found.values()), parties, generated)
