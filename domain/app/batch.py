"""A unit of work: the facts of one batch applied to their aggregates, checked, not yet saved.

Everything a batch creates is visible to the facts after it, so an import file may register an
organisation on line 1 and refer to it on line 2.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from diplo.domain.model.entity import Entity
from diplo.domain.errors import AlreadyExists, GrantAlreadySigned, InvalidCorrection, UnknownEvent
from diplo.domain.model.references import check_references, references
from diplo.domain.model.routing import KINDS, ROUTES
from diplo.events.corrections import EventCorrected, EventRetracted
from diplo.events.envelope import Fact

if TYPE_CHECKING:
    from diplo.domain.app.ledger import Ledger


class Batch:
    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self.aggregates: dict[UUID, Entity] = {}
        self.events: list[Any] = []  # in the order the facts were applied: the log's order
        self.facts: dict[str, tuple[UUID, Fact]] = {}  # key -> stream and fact, this batch
        self._exists: dict[UUID, bool] = {}

    def prefetch(self, facts: list[Fact]) -> None:
        """Ask the store once which streams these facts touch exist, not once per reference."""
        wanted: set[UUID] = set()
        for fact in facts:
            route = ROUTES.get(fact.type)
            if route is not None:
                cls = route.aggregate
                wanted.add(
                    cls.create_id(fact)
                    if route.command is None
                    else cls.id_for(getattr(fact, cls.SUBJECT))
                )
            for _, ref, kinds in references(fact):
                wanted.update(KINDS[kind].id_for(ref) for kind in kinds if kind in KINDS)
        found = self.ledger.recorder.existing_streams(list(wanted - self._exists.keys()))
        self._exists.update({stream: stream in found for stream in wanted})

    def apply(self, fact: Fact) -> None:
        """Check ``fact`` against the ledger and the batch so far, then apply it."""
        if isinstance(fact, (EventCorrected, EventRetracted)):
            stream = self._apply_correction(fact)
        else:
            check_references(self, fact)
            stream = self._apply_activity(fact)
        assert fact.key is not None
        self.facts[fact.key] = (stream, fact)
        # Saving aggregate by aggregate would group each stream's events together, and an
        # appointment could then precede the organisation it names: keep the input order.
        self.events.extend(self.aggregates[stream].collect_events())

    def _apply_activity(self, fact: Fact) -> UUID:
        route = ROUTES[fact.type]
        cls = route.aggregate
        if route.command is None:
            stream = cls.create_id(fact)
            if self.exists(stream):
                error = GrantAlreadySigned if fact.type == "GrantAgreementSigned" else AlreadyExists
                raise error(
                    f"{cls.SUBJECT}: {cls.KIND} {getattr(fact, cls.SUBJECT)!r} is already "
                    f"{route.verb}; to change it, correct the original event"
                )
            self.aggregates[stream] = cls(fact=fact)
            self._exists[stream] = True
            return stream
        stream = cls.id_for(getattr(fact, cls.SUBJECT))
        getattr(self.load(stream), route.command)(fact)
        return stream

    def _apply_correction(self, fact: EventCorrected | EventRetracted) -> UUID:
        stream, original = self.find(fact.target)
        if isinstance(original, (EventCorrected, EventRetracted)):
            raise InvalidCorrection(
                f"target: {fact.target} is itself a {original.type}; "
                "correct or retract the original event instead"
            )
        aggregate = self.load(stream)
        if isinstance(fact, EventRetracted):
            aggregate.retract(fact)
        else:
            check_references(self, aggregate.correct(fact, aggregate.amended(original)))
        return stream

    def find(self, key: str) -> tuple[UUID, Fact]:
        """The stream and fact of a key, from this batch or the store."""
        if key in self.facts:
            return self.facts[key]
        row = self.ledger.recorder.select_keys([key]).get(key)
        if row is None:
            raise UnknownEvent(
                f"target: no event with key {key!r} in the ledger; see `diplo log` for keys"
            )
        from diplo.domain.errors import IntegrityFailure
        from diplo.domain.integrity.chain import relabelled
        from diplo.domain.store.sqlite import decode_record

        fact = decode_record(row.state)[0]
        if fact.key != key:  # the key column is not the key inside the hashed event
            raise IntegrityFailure(relabelled(row.position, key, fact.key))
        return row.originator_id, fact

    def load(self, stream: UUID) -> Entity:
        """The aggregate as recorded, changed in place in the repository's cache: no copy is
        needed, because a batch that fails or is a dry run empties the cache (Ledger.record)."""
        if stream not in self.aggregates:
            try:
                self.aggregates[stream] = self.ledger.repository.get(
                    stream, deepcopy_from_cache=False, projector_func=_project
                )
            except AggregateNotFoundError:
                raise UnknownEvent(f"no stream {stream}") from None
        return self.aggregates[stream]

    def exists(self, stream: UUID) -> bool:
        if stream not in self._exists:
            self._exists[stream] = self.ledger.recorder.stream_exists(stream)
        return self._exists[stream]

    def created_facts(self) -> list[Fact]:
        return [fact for _, fact in self.facts.values()]


def _project(aggregate: Any, events: Iterable[Any]) -> Any:
    """eventsourcing's ``project_aggregate`` without its per-event assertion through a
    runtime-checked Protocol, which cost a sixth of reconstructing an aggregate."""
    for domain_event in events:
        aggregate = domain_event.mutate(aggregate)
    return aggregate
