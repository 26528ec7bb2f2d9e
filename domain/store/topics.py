"""Stable topics: the names under which stored events find their classes again.

eventsourcing stores a topic per event, by default the module path of its class
(``domain.grant:Grant.GrantAgreementSigned``). That path is inside every row's hashed leaf, so
it can never be rewritten, and moving a module would orphan the rows. diplo therefore stores a
name that does not mention modules (``diplo:Grant.GrantAgreementSigned``: the aggregate and the
event) and registers it, and every path an earlier version stored, with eventsourcing's own
``register_topic``. A class may move freely; renaming a stored event class is never allowed
(add a new version and an upcaster instead).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

PREFIX = "diplo:"

# Where diplo 0.1 kept each aggregate: rows it wrote carry these module paths for ever.
LEGACY_MODULES = {
    "Entity": "domain.entity",
    "Organization": "domain.registry",
    "Person": "domain.registry",
    "Programme": "domain.registry",
    "Meeting": "domain.activity",
    "Delivery": "domain.activity",
    "Cooperation": "domain.activity",
    "Commitment": "domain.activity",
    "Grant": "domain.grant",
    "Project": "domain.project",
}


# The events that act on another event (named by its key in ``target``), as Entity's classes
# are called: readers select them by topic without building the aggregates.
AMENDMENTS = ("Entity.EventCorrected", "Entity.EventRetracted", "Entity.EventCorroborated")


def stable_topic(cls: type[Any]) -> str:
    """The topic stored for an event class (or an aggregate class): ``diplo:Grant.X``."""
    return PREFIX + cls.__qualname__


def topics_of(cls: type[Any]) -> list[str]:
    """Every topic rows of this event class may carry: the stable one and any legacy path."""
    return topics_named(cls.__qualname__)


def topics_among(qualnames: Iterable[str] = AMENDMENTS) -> list[str]:
    """``topics_named`` of each event class named, in one list: by default the amendments'
    (corrections, retractions, corroborations), which readers select by topic alone."""
    return [topic for qualname in qualnames for topic in topics_named(qualname)]


def topics_named(qualname: str) -> list[str]:
    """``topics_of`` the event class called ``qualname`` (``Entity.EventCorrected``), for
    readers that select rows by topic without building the aggregates."""
    aggregate, _, _ = qualname.partition(".")
    legacy = LEGACY_MODULES.get(aggregate)
    return [PREFIX + qualname] + ([f"{legacy}:{qualname}"] if legacy else [])


def register_aggregates(aggregates: Iterable[type[Any]]) -> None:
    """Make stable and legacy topics of these aggregates (and their nested events) resolve."""
    from eventsourcing.utils import register_topic

    for aggregate in aggregates:
        for topic in {stable_topic(aggregate), *_legacy(aggregate)}:
            register_topic(topic, aggregate)


def _legacy(aggregate: type[Any]) -> list[str]:
    module = LEGACY_MODULES.get(aggregate.__qualname__)
    return [f"{module}:{aggregate.__qualname__}"] if module else []
