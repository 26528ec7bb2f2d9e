"""Aggregates of the registry: organisations, people and programmes."""

from __future__ import annotations

from eventsourcing.domain import event

from diplo.domain.model.entity import Entity
from diplo.events.types.registry import (
    OrganizationRegistered,
    PersonAppointed,
    PersonRegistered,
    ProgrammeRegistered,
)


class Organization(Entity):
    KIND = "org"
    SUBJECT = "org"

    @event("OrganizationRegistered")
    def __init__(self, fact: OrganizationRegistered) -> None:
        self._track(fact)


class Person(Entity):
    KIND = "person"
    SUBJECT = "person"

    @event("PersonRegistered")
    def __init__(self, fact: PersonRegistered) -> None:
        self._track(fact)
        self.appointments: list[str] = []

    def appoint(self, fact: PersonAppointed) -> None:
        self._emit(self._appointed, fact)

    @event("PersonAppointed")
    def _appointed(self, fact: PersonAppointed) -> None:
        self._track(fact)
        self.appointments.append(fact.org)


class Programme(Entity):
    KIND = "programme"
    SUBJECT = "programme"

    @event("ProgrammeRegistered")
    def __init__(self, fact: ProgrammeRegistered) -> None:
        self._track(fact)
