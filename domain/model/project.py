"""A project follows a life: planned, construction started, completed or opened; it may be
suspended (and resumed by starting construction again) or cancelled, which is final."""

from __future__ import annotations

from eventsourcing.domain import event

from diplo.domain.errors import MilestoneOutOfOrder
from diplo.domain.model.entity import Entity
from diplo.events.types.projects import ClinicPlanned, ProjectMilestoneReached

NEXT: dict[str, frozenset[str]] = {
    "planned": frozenset({"construction-started", "suspended", "cancelled"}),
    "construction-started": frozenset({"completed", "opened", "suspended", "cancelled"}),
    "completed": frozenset({"opened", "suspended", "cancelled"}),
    "opened": frozenset({"suspended", "cancelled"}),
    "suspended": frozenset({"construction-started", "opened", "cancelled"}),
    "cancelled": frozenset(),
}


class Project(Entity):
    KIND = "project"
    SUBJECT = "project"

    @event("ClinicPlanned")
    def __init__(self, fact: ClinicPlanned) -> None:
        self._track(fact)
        self.status = "planned"

    def reach(self, fact: ProjectMilestoneReached) -> None:
        milestone = fact.milestone.value
        if milestone not in NEXT[self.status]:
            allowed = ", ".join(sorted(NEXT[self.status])) or "none (it is final)"
            raise MilestoneOutOfOrder(
                f"milestone: project {fact.project} is {self.status}; it cannot become "
                f"{milestone}; expected one of: {allowed}"
            )
        self._emit(self._reached, fact)

    @event("ProjectMilestoneReached")
    def _reached(self, fact: ProjectMilestoneReached) -> None:
        self._track(fact)
        self.status = fact.milestone.value
