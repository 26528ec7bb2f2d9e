"""The audit trail: every event touching an entity, in log order, with its corrections."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from diplo.domain.app.ledger import StoredFact
from diplo.domain.model.ids import stream_id
from diplo.domain.model.references import references
from diplo.domain.model.routing import ROUTES
from diplo.domain.store.spill import Spilled, following
from diplo.events.catalog import canonical_dict
from diplo.events.directory import Directory, summarize

PAIR = re.compile(r"[A-Z]{2}-[A-Z]{2}")
CORRECTIONS = ("EventCorrected", "EventRetracted")
Amended = Mapping[str, list[dict[str, Any]]]  # corrections by target key (``amendments``)


@dataclass
class Entry:
    stored: StoredFact
    summary: str
    corrections: list[dict[str, Any]] = field(default_factory=list)  # ``correction_data``

    def as_data(self) -> dict[str, Any]:
        fact = self.stored.fact
        return {
            "position": self.stored.position,
            "key": self.stored.key,
            "type": fact.type,
            "recorded_at": self.stored.recorded_at.isoformat(),
            "recorded_by": fact.recorded_by,
            "occurred_on": str(fact.occurred_on) if fact.occurred_on else None,
            "summary": self.summary,
            "sources": [s.model_dump(mode="json", exclude_none=True) for s in fact.sources],
            "corrections": self.corrections,
        }


def correction_data(stored: StoredFact) -> dict[str, Any]:
    """What an audit shows of a correction or retraction beside the event it amends."""
    return {
        "position": stored.position,
        "key": stored.key,
        "type": stored.fact.type,
        "recorded_at": stored.recorded_at.isoformat(),
        "recorded_by": stored.fact.recorded_by,
        "reason": getattr(stored.fact, "reason", None),
        "changes": getattr(stored.fact, "changes", None),
    }


def amendments(corrections: Iterable[StoredFact]) -> Spilled:
    """The corrections and retractions of the log (read alone, by topic), by target key: an
    audit reads them first, and then streams the log once. Beyond ``spill.KEPT`` targets
    they wait on disk (what is read from there is a copy: each list is set again whole);
    the caller closes the map, which removes its file."""
    by_target = Spilled()
    for stored in corrections:
        if stored.fact.type in CORRECTIONS:
            target = getattr(stored.fact, "target", "")
            by_target[target] = [*by_target.get(target, []), correction_data(stored)]
    return by_target


def trail(log: Iterable[StoredFact], entity: str | None, amended: Amended) -> Iterator[Entry]:
    """Events touching ``entity`` (an id or a country pair ``JP-UZ``); with no entity, the
    events an auditor should look at: unsourced ones and ones with uncertain dates. Each with
    its corrections (``amendments`` of the same log), as it is read."""
    with following() as directory:  # in flat memory, however long the log
        for stored in log:
            data = canonical_dict(stored.fact)
            directory.follow(data)
            if stored.fact.type in CORRECTIONS:
                continue
            if _selected(stored, data, entity, directory):
                yield Entry(stored, summarize(data, directory), amended.get(stored.key, []))


def _selected(
    stored: StoredFact, data: dict[str, Any], entity: str | None, directory: Directory
) -> bool:
    fact = stored.fact
    if entity is None:
        return not fact.sources or bool(fact.occurred_on and fact.occurred_on.uncertain)
    if PAIR.fullmatch(entity):
        return set(entity.split("-")) <= set(directory.countries_in(data))
    if stored.stream in {stream_id(route.aggregate.KIND, entity) for route in ROUTES.values()}:
        return True
    return any(ref == entity for _, ref, _ in references(fact))
