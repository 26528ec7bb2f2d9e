"""Aggregates whose life is a single fact: meetings, deliveries, cooperations, commitments."""

from __future__ import annotations

from eventsourcing.domain import event

from diplo.domain.model.entity import Entity
from diplo.events.grants import EquipmentDelivered
from diplo.events.meetings import CommitmentStated, CooperationEstablished, MeetingHeld


class Meeting(Entity):
    KIND = "meeting"
    SUBJECT = "meeting"

    @event("MeetingHeld")
    def __init__(self, fact: MeetingHeld) -> None:
        self._track(fact)


class Delivery(Entity):
    KIND = "delivery"
    SUBJECT = "delivery"

    @event("EquipmentDelivered")
    def __init__(self, fact: EquipmentDelivered) -> None:
        self._track(fact)


class Cooperation(Entity):
    KIND = "cooperation"
    SUBJECT = "cooperation"

    @event("CooperationEstablished")
    def __init__(self, fact: CooperationEstablished) -> None:
        self._track(fact)


class Commitment(Entity):
    """A statement has no id of its own: its stream is named by its key."""

    KIND = "commitment"
    SUBJECT = "key"

    @event("CommitmentStated")
    def __init__(self, fact: CommitmentStated) -> None:
        self._track(fact)
