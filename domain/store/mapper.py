"""How aggregate events become stored events and back, in either store: the record's bytes
(see records.py) under a stable topic, with the fact's key and content hash as columns.

Every ledger makes a mapper, readers too: what only writing needs (the catalog, the
aggregates) is imported when it is first used."""

from __future__ import annotations

from functools import cache
from typing import Any, cast
from uuid import UUID

from eventsourcing.domain import AggregateCreated, DomainEventProtocol
from eventsourcing.persistence import Mapper, StoredEvent
from eventsourcing.utils import resolve_topic

from diplo.domain.store.interface import KeyedStoredEvent
from diplo.domain.store.topics import register_aggregates, stable_topic


@cache
def _registered() -> None:
    """Register the aggregates' topics once, when stored events first become aggregate events
    (a writer replaying a record): readers never build the aggregates at all."""
    from diplo.domain.model.routing import AGGREGATES

    register_aggregates(AGGREGATES)


@cache
def _writing() -> tuple[Any, Any, Any]:
    """What making stored events needs (the catalog), imported once, when first written:
    an import inside ``to_stored_event`` would be looked up again for every event."""
    from diplo.domain.app.prepared import Prepared
    from diplo.domain.store.records import encode_record
    from diplo.events.catalog import content_hash

    return encode_record, content_hash, Prepared


CURRENT_LEAF = KeyedStoredEvent.leaf_format  # what a new event is hashed as (its default)

# The stored topic of each event class (the same string every time: made once per class).
_topic = cache(stable_topic)


class FactMapper(Mapper[UUID]):
    """Maps aggregate events (whose only field is ``fact``) to canonical JSON and back."""

    def to_stored_event(self, domain_event: DomainEventProtocol[UUID]) -> StoredEvent:
        return self.to_stored_events([domain_event])[0]

    def to_stored_events(self, domain_events: list[Any]) -> list[KeyedStoredEvent]:
        """``to_stored_event`` of each event, in one loop: an import maps every event it
        records, and the dataclass's own ``__init__`` (a frozen one sets each field through
        ``object.__setattr__``) was a third of the mapping (tests/domain/test_mapper.py)."""
        encode_record, content_hash, prepared = _writing()
        made: list[KeyedStoredEvent] = []
        new, put = object.__new__, object.__setattr__
        for domain_event in domain_events:
            fields = domain_event.__dict__
            fact, recorded_at = fields["fact"], fields["timestamp"]
            assert fact.key is not None, "facts are keyed before they are recorded"
            if type(fact) is prepared:
                state, digest = fact.record(recorded_at), fact.content_hash
            else:
                state, digest = encode_record(fact, recorded_at), content_hash(fact)
            stored = new(KeyedStoredEvent)
            put(
                stored,
                "__dict__",
                {
                    "originator_id": fields["originator_id"],
                    "originator_version": fields["originator_version"],
                    "topic": _topic(domain_event.__class__),
                    "state": state,
                    "key": fact.key,
                    "content_hash": digest,
                    "leaf_format": CURRENT_LEAF,
                },
            )
            made.append(stored)
        return made

    def to_domain_event(self, stored_event: StoredEvent) -> DomainEventProtocol[UUID]:
        from diplo.domain.store.records import decode_fact

        _registered()
        fact, recorded_at = decode_fact(stored_event.state)
        cls = resolve_topic(stored_event.topic)
        originator_id = stored_event.originator_id
        state = {
            "originator_id": originator_id
            if isinstance(originator_id, UUID)
            else UUID(originator_id),
            "originator_version": stored_event.originator_version,
            "timestamp": recorded_at,
            "fact": fact,
        }
        if issubclass(cls, AggregateCreated):
            # The creating event is nested in its aggregate class: derive, don't store, its topic.
            state["originator_topic"] = stored_event.topic.rsplit(".", 1)[0]
        domain_event = object.__new__(cls)
        object.__setattr__(domain_event, "__dict__", state)
        return cast(DomainEventProtocol[UUID], domain_event)
