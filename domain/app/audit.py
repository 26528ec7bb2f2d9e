"""The audit trail: every event touching an entity, in log order, with its corrections."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from diplo.domain.app.ledger import StoredFact
from diplo.domain.model.ids import stream_id
from diplo.domain.model.references import references
from diplo.domain.model.routing import ROUTES
from diplo.events.catalog import canonical_dict
from diplo.events.directory import Directory, summarize

PAIR = re.compile(r"[A-Z]{2}-[A-Z]{2}")
CORRECTIONS = ("EventCorrected", "EventRetracted")


@dataclass
class Entry:
    stored: StoredFact
    summary: str
    corrections: list[StoredFact] = field(default_factory=list)

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
            "corrections": [
                {
                    "position": c.position,
                    "key": c.key,
                    "type": c.fact.type,
                    "recorded_at": c.recorded_at.isoformat(),
                    "recorded_by": c.fact.recorded_by,
                    "reason": getattr(c.fact, "reason", None),
                    "changes": getattr(c.fact, "changes", None),
                }
                for c in self.corrections
            ],
        }


def trail(log: Iterable[StoredFact], entity: str | None) -> list[Entry]:
    """Events touching ``entity`` (an id or a country pair ``JP-UZ``); with no entity, the
    events an auditor should look at: unsourced ones and ones with uncertain dates."""
    directory, entries = Directory(), []
    by_key: dict[str, Entry] = {}
    for stored in log:
        data = canonical_dict(stored.fact)
        directory.follow(data)
        if stored.fact.type in CORRECTIONS:
            target = by_key.get(getattr(stored.fact, "target", ""))
            if target is not None:
                target.corrections.append(stored)
            continue
        if _selected(stored, data, entity, directory):
            entry = Entry(stored, summarize(data, directory))
            entries.append(entry)
            by_key[stored.key] = entry
    return entries


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
