"""Aggregates whose life is a single fact (meetings, deliveries, cooperations, commitments…).

Such a record has no rule beyond "recorded once", so its aggregate is made from the type's
declaration instead of being written by hand: declaring a new single-fact type is enough.
"""

from __future__ import annotations

from typing import Any

from eventsourcing.domain import event

from diplo.domain.model.entity import Entity
from diplo.events.declaration import Declaration


def single_fact_aggregate(declaration: Declaration) -> type[Entity]:
    """An aggregate class for a record created by one fact and changed only by corrections.

    Its name (``Meeting`` for the record kind ``meeting``) is part of the stored topic
    (``diplo:Meeting.MeetingHeld``): record kinds are never renamed.
    """

    def __init__(self: Entity, fact: Any) -> None:
        self._track(fact)

    name = "".join(part.title() for part in declaration.record.split("-"))
    namespace = {
        "__module__": __name__,
        "__qualname__": name,
        "__doc__": f"A {declaration.record}: recorded once by {declaration.name}.",
        "KIND": declaration.record,
        "SUBJECT": declaration.subject,
        "__init__": event(declaration.name)(__init__),
    }
    return type(name, (Entity,), namespace)
