"""The ledger: an eventsourcing Application that records facts in batches, all or nothing.

The aggregates (``domain.model``) are imported by the methods that write: eventsourcing builds
their event classes at import, which a command that only reads should not pay for.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, cast
from uuid import UUID

from eventsourcing.application import Application, LRUCache
from eventsourcing.persistence import IntegrityError, OperationalError

from diplo.domain.errors import IntegrityFailure, KeyConflict, StoreError
from diplo.domain.integrity.chain import holes, missing, relabelled
from diplo.domain.store.interface import LedgerStore
from diplo.domain.store.topics import topics_of
from diplo.events.errors import LedgerError, Problems

if TYPE_CHECKING:
    from diplo.domain.app.batch import Batch
    from diplo.domain.store.mapper import FactMapper
    from diplo.events.envelope import Fact

T = TypeVar("T")

# Facts checked and written at a time: an import holds one chunk in memory. Small enough that
# a chunk's facts, events and rows stay in the processor's caches while they are checked and
# written (the writer's time per fact was about 5% less than with 2,000: best of 8 runs of
# 30,000 generated facts, 31.3 µs against 32.9), large enough that a chunk's few queries are
# spread over many facts.
CHUNK = 500
FIRST = 32  # facts in the first chunk (see ``_chunks``)


@dataclass
class Outcome:
    """What a batch did: how many facts were new, how many already recorded."""

    new: int = 0
    skipped: int = 0
    corroborated: int = 0  # corroborations recorded for repeats that brought new sources
    positions: range = range(0)  # gap-free: the session holds the store's write lock

    def recorded(self, positions: list[int]) -> None:
        first = self.positions.start if self.positions else positions[0]
        self.positions = range(first, positions[-1] + 1)


@dataclass(frozen=True)
class StoredFact:
    """One event as the log holds it: content, provenance and place."""

    position: int
    fact: Fact
    recorded_at: datetime
    stream: UUID
    version: int
    topic: str
    state: bytes

    @property
    def key(self) -> str:
        assert self.fact.key is not None
        return self.fact.key


class Ledger(Application[UUID]):
    """Records facts and reads them back. The store is the only source of truth."""

    env: ClassVar[dict[str, str]] = {
        "MAPPER_TOPIC": "diplo.domain.store.mapper:FactMapper",
        "APPLICATION_RECORDER_TOPIC": "diplo.domain.store.sqlite:LedgerRecorder",
        "SQLITE_LOCK_TIMEOUT": "60",
        # A long stream (a grant funded a thousand times) is replayed once per process, then
        # fast-forwarded: only events after the cached version are read on the next batch.
        "AGGREGATE_CACHE_MAXSIZE": "5000",
        "AGGREGATE_CACHE_FASTFORWARD": "y",
    }
    # Either store (SQLite or PostgreSQL) through the one interface. eventsourcing's Application
    # declares its own nominal ApplicationRecorder here; both of ours are that too (they keep
    # its contract: tests/domain/test_recorder_contract.py), and mypy cannot spell the union.
    recorder: LedgerStore  # type: ignore[assignment]
    location: str = ""  # the --store it was opened from
    # Told when another writer holds the ledger (an import may hold it for a while), so a
    # clerk at a terminal knows why nothing happens yet.
    on_wait: Callable[[], None] | None = None

    def writer_lock(self) -> AbstractContextManager[None]:
        """Writers take turns (see domain.locking); readers never wait for it."""
        from diplo.domain.store.locking import advisory_lock, file_lock

        if self.env.get("PERSISTENCE_MODULE") == "eventsourcing.postgres":
            return advisory_lock(dict(self.env.items()), self.on_wait)
        return file_lock(f"{self.env.get('SQLITE_DBNAME')}.lock", self.on_wait)

    def record(
        self,
        facts: Iterable[tuple[str, Fact]],
        *,
        recorded_by: str,
        dry_run: bool = False,
        progress: Callable[[int], None] | None = None,
        problems: Problems | None = None,
        bulk: bool | None = None,
    ) -> Outcome:
        """Append ``(where, fact)`` pairs in ONE transaction: every new fact, or none.

        ``facts`` is streamed: checked and written a chunk at a time inside one open store
        transaction, so memory stays flat however long the input, and a refusal on its last
        line still leaves the ledger as it was. ``where`` (``file.jsonl:12``, or empty)
        prefixes any refusal, so a clerk finds the line. A fact whose key is already recorded
        with the same content is skipped; with other content it is a conflict. A dry run does
        all of it, then rolls back. ``progress`` hears how many facts are done, per chunk.
        Given ``problems``, a refused fact is told there and checking goes on to the end;
        then, if anything was told, all of it is refused together and nothing is written.

        ``bulk`` (the default for more than one fact) checks the whole input against one state
        kept for the import (``Batch``) instead of reading aggregates back from the store for
        every chunk, and makes events without eventsourcing's trigger machinery (entity.BULK);
        a single fact goes through its aggregate as eventsourcing applications do. The rules,
        the stored rows and the refusals are the same either way
        (tests/domain/test_bulk_import.py).
        """
        if bulk is None:
            bulk = not (isinstance(facts, list) and len(facts) == 1)
        from diplo.domain.app.batch import Batch  # the aggregates: built for writers only
        from diplo.domain.app.prepared import stamp_for
        from diplo.domain.model.entity import BULK, NOW, datetime_now_with_tzinfo

        outcome = Outcome()
        token, now = BULK.set(bulk), NOW.set(None)
        try:
            with quiet_gc(bulk), self.writer_lock(), self.recorder.session(commit=not dry_run):
                batch, seen = Batch(self), 0
                for chunk in _chunks(facts, CHUNK):
                    if bulk:
                        batch.take_stock(seen := seen + len(chunk))
                        NOW.set(datetime_now_with_tzinfo())
                    stamped = [(w, stamp_for(f, recorded_by)) for w, f in chunk]
                    batch_now = batch if bulk else Batch(self)
                    self._record_chunk(stamped, outcome, batch_now, problems)
                    if progress:
                        progress(outcome.new + outcome.skipped)
                if problems is not None:
                    problems.raise_if_any(self.hint())  # inside the session: it rolls back
        except BaseException as error:
            self._forget_cached_aggregates()
            if isinstance(error, (IntegrityError, OperationalError)):
                raise StoreError(
                    f"cannot write to the store: {error}; nothing was written"
                ) from None
            raise
        finally:
            BULK.reset(token)
            NOW.reset(now)
        if dry_run:
            self._forget_cached_aggregates()
        return outcome

    def _record_chunk(
        self,
        stamped: list[tuple[str, Fact]],
        outcome: Outcome,
        batch: Batch,
        problems: Problems | None,
    ) -> None:
        from diplo.domain.app.prepared import Prepared
        from diplo.events.catalog import content_hash

        keys = [fact.key for _, fact in stamped if fact.key]
        if batch.keys is not None:  # the store certainly holds none of the others
            keys = batch.keys.among(keys)
        known = self.recorder.select_keys(keys) if keys else {}
        hashes = {key: row.content_hash for key, row in known.items()}
        batch.prefetch([fact for _, fact in stamped if fact.key not in hashes])
        for line, fact in stamped:
            assert fact.key is not None
            digest = fact.content_hash if type(fact) is Prepared else content_hash(fact)
            if fact.key in hashes:
                if hashes[fact.key] != digest:
                    conflict = KeyConflict(
                        f"key: {fact.key!r} is already recorded with different content; "
                        "use another key, or correct the recorded event"
                    )
                    _refuse(conflict, line, problems)
                else:
                    outcome.skipped += 1
                continue
            try:
                new = batch.apply(fact)
            except LedgerError as error:
                _refuse(error, line, problems)
                continue
            hashes[fact.key] = digest
            if new:
                outcome.new += 1
            else:
                outcome.skipped += 1  # a repeat of a record held: its new sources corroborate
        outcome.corroborated += batch.corroborations
        if batch.events:
            outcome.recorded(self._append(batch.events))
        batch.written()

    def _append(self, events: list[Any]) -> list[int]:
        """Store events in exactly this order (the input's; see Batch.apply): each made a
        stored event by the application's mapper, all inserted by its recorder.

        ``Application.save`` would first ask of each object whether it is an event through a
        runtime-checked Protocol, a tenth of an import's time, and ``EventStore.put`` makes a
        notification object per event that nobody here reads (this application has no
        followers to notify): these are known to be events, and only positions are needed.
        """
        mapper = cast("FactMapper", self.mapper)
        return self.recorder.insert_events(mapper.to_stored_events(events))

    def _forget_cached_aggregates(self) -> None:
        """Cached aggregates fast-forwarded inside a rolled-back session hold events that were
        never recorded: start the cache afresh."""
        cache = self.repository.cache
        if isinstance(cache, LRUCache):
            self.repository.cache = LRUCache(maxsize=cache.maxsize)

    def read(
        self,
        start: int = 1,
        stop: int | None = None,
        topics: list[str] | None = None,
        page: int = 1000,
    ) -> Iterator[StoredFact]:
        """The log in order from position ``start`` (to ``stop``, inclusive). Read whole
        (no ``topics``), it holds every position: a gap (a row deleted behind the store's
        back) raises IntegrityFailure where it is met, so no reader shows a log with a hole."""
        from diplo.domain.store.records import decode_fact

        while True:
            rows = self.recorder.select_notifications(start, page, stop=stop, topics=topics or ())
            if not topics:
                self.whole(start, [n.id for n in rows], stop, page)
            for n in rows:
                fact, recorded_at = decode_fact(n.state)
                yield StoredFact(
                    n.id,
                    fact,
                    recorded_at,
                    _uuid(n.originator_id),
                    n.originator_version,
                    n.topic,
                    n.state,
                )
            if len(rows) < page:
                return
            start = rows[-1].id + 1

    def whole(self, start: int, positions: list[int], stop: int | None, limit: int) -> None:
        """Raise IntegrityFailure unless a page of the whole log, read from ``start`` (up to
        ``limit`` rows, up to ``stop``) at ``positions``, holds every position it should: none
        skipped (``holes``), and, a page that ended short of ``stop``, none deleted after its
        last while the log goes on. Positions are given as head + 1, so a gap is a row deleted
        behind the store's back; every reader of the whole log asks this of each page."""
        hole = holes(start, positions)
        end = positions[-1] if positions else start - 1
        if hole is None and len(positions) < limit and stop is not None and end < stop:
            after = self.recorder.select_notifications(end + 1, 1)
            hole = missing(end + 1, after[0].id) if after else None
        if hole is not None:
            raise IntegrityFailure(hole)

    def get_event(self, key: str) -> StoredFact | None:
        row = self.recorder.select_keys([key]).get(key)
        if row is None:
            return None
        stored = next(self.read(row.position, row.position))
        if stored.key != key:  # the key column is not the key inside the hashed event
            raise IntegrityFailure(relabelled(row.position, key, stored.key))
        return stored

    def head(self) -> int:
        """The position of the last event (0 for an empty ledger)."""
        return self.recorder.max_notification_id() or 0

    def hint(self) -> Callable[[str, tuple[str, ...]], str]:
        """Suggestions for text given where a registered record was expected (``JICA`` for
        ``jica``), each kind's names read once however many problems ask."""
        from diplo.domain.model.references import hint_for

        read: dict[tuple[str, ...], dict[str, list[str]]] = {}

        def names(kinds: list[str]) -> dict[str, list[str]]:
            if tuple(kinds) not in read:
                read[tuple(kinds)] = self.known_names(kinds, [])
            return read[tuple(kinds)]

        return lambda text, kinds: hint_for(text, kinds, names)

    def known_names(self, kinds: list[str], extra: list[Fact]) -> dict[str, list[str]]:
        """Registered ids of ``kinds`` with their names and aliases, for suggestions."""
        from diplo.domain.model.routing import ROUTES

        routes = [
            (n, r) for n, r in ROUTES.items() if r.command is None and r.aggregate.KIND in kinds
        ]
        topics = [t for name, r in routes for t in topics_of(getattr(r.aggregate, name))]
        types = {name for name, _ in routes}
        facts = [s.fact for s in self.read(topics=topics)] + [f for f in extra if f.type in types]
        return {getattr(f, ROUTES[f.type].aggregate.SUBJECT): _names(f) for f in facts}


@contextmanager
def quiet_gc(bulk: bool) -> Iterator[None]:
    """No cyclic garbage collection during a bulk import: its objects are freed by reference
    counting, and the collector's passes over them were a sixth of the time. What the
    process held before is frozen out of the passes that resume after it."""
    if not bulk or not gc.isenabled():
        yield
        return
    gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.unfreeze()


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """``items`` in lists of ``size``, the first ones smaller (``FIRST``, doubling): an
    import's reader sends its first facts as soon as it has them (``ahead``), and the writer
    starts on them instead of waiting for a whole chunk."""
    iterator, wanted = iter(items), min(FIRST, size)
    while chunk := list(islice(iterator, wanted)):
        yield chunk
        wanted = min(wanted * 2, size)


def _names(fact: Any) -> list[str]:
    name = getattr(fact, "name", None)
    return ([name] if name else []) + [f"alias {a}" for a in getattr(fact, "aliases", [])]


def _refuse(error: LedgerError, where: str, problems: Problems | None) -> None:
    """Raise the refusal of the fact at ``where``, or tell it to ``problems`` and go on; a
    store that cannot be read or trusted stops everything at once."""
    if problems is None or isinstance(error, (IntegrityFailure, StoreError)):
        raise _located(error, where) from None
    problems.add_error(where, error)


def _located(error: LedgerError, where: str) -> LedgerError:
    return type(error)(f"{where}: {error}") if where else error


def _uuid(value: UUID | str) -> UUID:
    return value if isinstance(value, UUID) else UUID(value)
