"""What an import knows of the ledger between its facts: which streams exist and which hold
a retraction (looked up a chunk at a time), and the records it holds (aggregates, and the
creating events of records not built yet), within bounds: what it lets go of is read from the
store again, which sees what the import wrote (the session's own connection)."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from itertools import islice
from typing import Any, Protocol
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from diplo.domain.app.keyfilter import KeyFilter
from diplo.domain.errors import UnknownEvent
from diplo.domain.model.entity import Entity, built
from diplo.domain.model.ids import number_uuid
from diplo.domain.store.retractions import all_streams_with_retractions, streams_with_retractions
from diplo.events.envelope import Fact


class Records(Protocol):
    """What a batch needs of the ledger: its store, its repository of aggregates, and the
    names of registered records (the Ledger application is one)."""

    recorder: Any

    @property
    def env(self) -> Any: ...

    @property
    def repository(self) -> Any: ...

    def known_names(self, kinds: list[str], extra: list[Fact]) -> dict[str, list[str]]: ...


class Known:
    """The streams and records an import knows, by stream number (``UUID.int``): a UUID hashes
    in Python, its number in C, and an import asks these a dozen times per fact."""

    # Aggregates, and creating events of aggregates not built yet, that a bulk import keeps
    # across chunks, each (the rest are read again from the store if a later fact needs them).
    KEEP = 20_000
    KNOWN = 200_000  # streams whose existence a bulk import remembers (about 80 bytes each)
    STOCK = 4  # events in the store per fact seen, at most, for reading all its streams at once

    def __init__(self, ledger: Records) -> None:
        self.ledger = ledger
        self.aggregates: dict[int, Entity] = {}
        self.unbuilt: dict[int, Any] = {}  # creation events not yet applied (bulk, see load)
        self.fresh: dict[int, Any] = {}  # the same, of records no command changes: one chunk's
        # Whether each stream looked up so far exists (in the store or this import), and which
        # of those hold a retraction: looked up together, a chunk at a time (``look_up``).
        self._exists: dict[int, bool] = {}
        self.retracted: set[int] = set()
        # Whether ``_exists`` holds every stream of the store (see ``take_stock``): then a
        # stream it lacks does not exist, and nothing needs looking up.
        self.complete = False
        self._stock: int | None = None  # the store's head when the import began; -1: given up
        # The keys the store may hold, once its streams are known whole (see ``KeyFilter``).
        self.keys: KeyFilter | None = None

    def take_stock(self, facts: int) -> None:
        """Learn every stream and key of the store at once, when that is cheaper than looking
        them up chunk by chunk: an empty store (nothing to read), or one of at most a few
        events per fact seen so far (``facts``; called between chunks). The import holds the
        writer's lock: no other writer adds a stream or key meanwhile, and this import's own
        are noted as it writes them."""
        if self._stock is None:
            self._stock = self.ledger.recorder.max_notification_id() or 0
        if self.complete or self._stock < 0 or self._stock > min(self.STOCK * facts, self.KNOWN):
            return
        self.keys = KeyFilter()
        if self._stock:
            every = self.ledger.recorder.all_streams()
            self._exists.update(dict.fromkeys((stream.int for stream in every), True))
            self.retracted.update(s.int for s in all_streams_with_retractions(self.ledger))
            self.keys.add(self.ledger.recorder.all_keys())
        self.complete = True

    def look_up(self, streams: Collection[UUID]) -> None:
        """Ask the store which of ``streams`` exist, and which of those hold a retraction."""
        found = self.ledger.recorder.existing_streams(list(streams))
        self._exists.update(dict.fromkeys((stream.int for stream in streams), False))
        self._exists.update(dict.fromkeys((stream.int for stream in found), True))
        retracted = streams_with_retractions(self.ledger, list(found))
        self.retracted.update(stream.int for stream in retracted)

    def exists(self, stream: UUID) -> bool:
        return self.number_exists(stream.int)

    def number_exists(self, number: int) -> bool:
        known = self._exists.get(number)
        if known is None:
            if self.complete:
                return False
            self.look_up([number_uuid(number)])
            known = self._exists[number]
        return known

    def may_be_retracted(self, number: int) -> bool:
        return number in self.retracted or not (self.complete or number in self._exists)

    def load(self, stream: UUID) -> Entity:
        """The aggregate as recorded, changed in place in the repository's cache: no copy is
        needed, because a batch that fails or is a dry run empties the cache (Ledger.record)."""
        number = stream.int
        aggregate = self.aggregates.get(number)
        if aggregate is not None:
            return aggregate
        if number in self.unbuilt:
            aggregate = built(self.unbuilt.pop(number))
        elif number in self.fresh:
            aggregate = built(self.fresh.pop(number))
        else:
            try:
                aggregate = self.ledger.repository.get(
                    stream, deepcopy_from_cache=False, projector_func=_project
                )
            except AggregateNotFoundError:
                raise UnknownEvent(f"no stream {stream}") from None
        self.aggregates[number] = aggregate
        return aggregate

    def forget_oldest(self) -> None:
        """Let go of what is held beyond the bounds (after a chunk is written)."""
        _forget_oldest(self.aggregates, self.KEEP)
        _forget_oldest(self.unbuilt, self.KEEP)
        if len(self._exists) > self.KNOWN:  # no longer all of them: look up what it lacks
            self.complete, self._stock = False, -1
            _forget_oldest(self._exists, self.KNOWN)


def _forget_oldest(held: dict[int, Any], keep: int) -> None:
    """Let go of the oldest entries of ``held`` beyond ``keep``."""
    for number in list(islice(held, max(len(held) - keep, 0))):
        del held[number]


def _project(aggregate: Any, events: Iterable[Any]) -> Any:
    """eventsourcing's ``project_aggregate`` without its per-event assertion through a
    runtime-checked Protocol, which cost a sixth of reconstructing an aggregate."""
    for domain_event in events:
        aggregate = domain_event.mutate(aggregate)
    return aggregate
