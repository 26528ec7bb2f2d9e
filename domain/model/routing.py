"""Which aggregate each fact belongs to, and which command it is."""

from __future__ import annotations

from dataclasses import dataclass

from diplo.domain.model.activity import Commitment, Cooperation, Delivery, Meeting
from diplo.domain.model.entity import Entity
from diplo.domain.model.grant import Grant
from diplo.domain.model.project import Project
from diplo.domain.model.registry import Organization, Person, Programme


@dataclass(frozen=True)
class Route:
    aggregate: type[Entity]
    command: str | None = None  # None: the fact creates the aggregate
    verb: str = "recorded"  # for "grant 'g1' is already signed"


ROUTES: dict[str, Route] = {
    "OrganizationRegistered": Route(Organization, verb="registered"),
    "PersonRegistered": Route(Person, verb="registered"),
    "PersonAppointed": Route(Person, "appoint"),
    "ProgrammeRegistered": Route(Programme, verb="registered"),
    "MeetingHeld": Route(Meeting, verb="recorded as held"),
    "GrantAgreementSigned": Route(Grant, verb="signed"),
    "EquipmentFunded": Route(Grant, "fund"),
    "EquipmentDelivered": Route(Delivery, verb="recorded as delivered"),
    "ClinicPlanned": Route(Project, verb="planned"),
    "ProjectMilestoneReached": Route(Project, "reach"),
    "CooperationEstablished": Route(Cooperation, verb="established"),
    "CommitmentStated": Route(Commitment, verb="stated"),
}

# Every aggregate class, the base included: their events' stored topics resolve to them.
AGGREGATES: tuple[type[Entity], ...] = (
    Entity,
    *dict.fromkeys(route.aggregate for route in ROUTES.values()),
)

# The kinds a field can refer to (``x-refers-to`` in the catalog) and their aggregates.
KINDS: dict[str, type[Entity]] = {
    cls.KIND: cls for cls in (Organization, Person, Programme, Meeting, Grant, Project)
}
KIND_NAMES = {
    "org": "organization",
    "person": "person",
    "programme": "programme",
    "meeting": "meeting",
    "grant": "grant",
    "project": "project",
}
