"""The ledger: an eventsourcing Application that records facts in batches, all or nothing."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import IntegrityError, OperationalError
from eventsourcing.utils import get_topic

from domain.batch import Batch
from domain.errors import KeyConflict, StoreError
from domain.persistence import LedgerRecorder, decode_record
from domain.routing import ROUTES
from events.catalog import content_hash, key_of
from events.envelope import Fact
from events.errors import LedgerError

MAX_ATTEMPTS = 40  # with full-jitter backoff: writers racing for one stream all get through


@dataclass
class Outcome:
    """What a batch did: how many facts were new, how many already recorded."""

    new: int = 0
    skipped: int = 0
    positions: list[int] = field(default_factory=list)


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
        "MAPPER_TOPIC": "domain.persistence:FactMapper",
        "APPLICATION_RECORDER_TOPIC": "domain.persistence:LedgerRecorder",
        "SQLITE_LOCK_TIMEOUT": "60",
        # A long stream (a grant funded a thousand times) is replayed once per process, then
        # fast-forwarded: only events after the cached version are read on the next batch.
        "AGGREGATE_CACHE_MAXSIZE": "10000",
        "AGGREGATE_CACHE_FASTFORWARD": "y",
    }
    recorder: LedgerRecorder
    location: str = ""  # the --store it was opened from

    def writer_lock(self) -> AbstractContextManager[None]:
        """Writers take turns (see domain.locking); readers never wait for it."""
        from domain.locking import advisory_lock, file_lock

        if self.env.get("PERSISTENCE_MODULE") == "eventsourcing.postgres":
            return advisory_lock(dict(self.env.items()))
        return file_lock(f"{self.env.get('SQLITE_DBNAME')}.lock")

    def record(
        self,
        facts: Iterable[tuple[str, Fact]],
        *,
        recorded_by: str,
        dry_run: bool = False,
        progress: Callable[[int, int], None] | None = None,
    ) -> Outcome:
        """Append ``(where, fact)`` pairs in ONE transaction: every new fact, or none.

        ``where`` (``file.jsonl:12``, or empty) prefixes any refusal, so a clerk finds the line.
        A fact whose key is already recorded with the same content is skipped; with other
        content it is a conflict. A concurrent writer that wins a key or a stream version
        first makes this batch start over, with backoff, so nothing is counted twice.
        """
        stamped = [(line, _stamp(fact, recorded_by)) for line, fact in facts]
        for attempt in range(MAX_ATTEMPTS):
            try:
                with self.writer_lock():
                    return self._record_once(stamped, dry_run, progress)
            except IntegrityError:
                if attempt == MAX_ATTEMPTS - 1:
                    raise StoreError(
                        "the ledger is too busy: other writers kept winning; "
                        "nothing was written, try again"
                    ) from None
                time.sleep(random.uniform(0, min(0.5, 0.005 * 2**attempt)))
            except OperationalError as error:
                raise StoreError(f"cannot write to the store: {error}") from None
        raise AssertionError("unreachable")

    def _record_once(
        self,
        stamped: list[tuple[str, Fact]],
        dry_run: bool,
        progress: Callable[[int, int], None] | None = None,
    ) -> Outcome:
        known = self.recorder.select_keys([fact.key for _, fact in stamped if fact.key])
        hashes = {key: row.content_hash for key, row in known.items()}
        batch, outcome = Batch(self), Outcome()
        batch.prefetch([fact for _, fact in stamped if fact.key not in hashes])
        for line, fact in stamped:
            assert fact.key is not None
            digest = content_hash(fact)
            if fact.key in hashes:
                if hashes[fact.key] != digest:
                    raise _located(
                        KeyConflict(
                            f"key: {fact.key!r} is already recorded with different content; "
                            "use another key, or `diplo correct` the recorded event"
                        ),
                        line,
                    )
                outcome.skipped += 1
                continue
            try:
                batch.apply(fact)
            except LedgerError as error:
                raise _located(error, line) from None
            hashes[fact.key] = digest
            outcome.new += 1
            if progress and outcome.new % 1000 == 0:
                progress(outcome.new + outcome.skipped, len(stamped))
        if not dry_run and batch.events:
            recordings = self.save(*batch.events)
            outcome.positions = [r.notification.id for r in recordings]
        return outcome

    def read(
        self,
        start: int = 1,
        stop: int | None = None,
        topics: list[str] | None = None,
        page: int = 1000,
    ) -> Iterator[StoredFact]:
        """The log in order from position ``start`` (to ``stop``, inclusive)."""
        while True:
            rows = self.recorder.select_notifications(start, page, stop=stop, topics=topics or ())
            for n in rows:
                fact, recorded_at = decode_record(n.state)
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

    def get_event(self, key: str) -> StoredFact | None:
        row = self.recorder.select_keys([key]).get(key)
        if row is None:
            return None
        return next(self.read(row.position, row.position))

    def head(self) -> int:
        """The position of the last event (0 for an empty ledger)."""
        return self.recorder.max_notification_id() or 0

    def known_names(self, kinds: list[str], extra: list[Fact]) -> dict[str, list[str]]:
        """Registered ids of ``kinds`` with their names and aliases, for suggestions."""
        routes = [
            (n, r) for n, r in ROUTES.items() if r.command is None and r.aggregate.KIND in kinds
        ]
        topics = [get_topic(getattr(r.aggregate, name)) for name, r in routes]
        types = {name for name, _ in routes}
        facts = [s.fact for s in self.read(topics=topics)] + [f for f in extra if f.type in types]
        return {getattr(f, ROUTES[f.type].aggregate.SUBJECT): _names(f) for f in facts}


def _names(fact: Any) -> list[str]:
    name = getattr(fact, "name", None)
    return ([name] if name else []) + [f"alias {a}" for a in getattr(fact, "aliases", [])]


def _stamp(fact: Fact, recorded_by: str) -> Fact:
    """Fix the key and the recorder in the fact, so they are stored and exported with it."""
    return fact.model_copy(
        update={"key": key_of(fact), "recorded_by": fact.recorded_by or recorded_by}
    )


def _located(error: LedgerError, where: str) -> LedgerError:
    return type(error)(f"{where}: {error}") if where else error


def _uuid(value: UUID | str) -> UUID:
    return value if isinstance(value, UUID) else UUID(value)
