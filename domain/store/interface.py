"""The one interface in front of both stores (SQLite and PostgreSQL): what the ledger, its
integrity checks, migration and the projections call on a recorder, and nothing else.

Code above the store names ``LedgerStore``, never a recorder class, so either store serves it.
Both recorders also keep eventsourcing's own recorder contract
(tests/domain/test_recorder_contract.py), which its Application relies on.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable
from uuid import UUID

from eventsourcing.persistence import Notification, StoredEvent


@dataclass(frozen=True)
class KeyedStoredEvent(StoredEvent):
    """A stored event that also carries its idempotency key and content hash as columns."""

    key: str = ""
    content_hash: str = ""
    leaf_format: int = 2  # chain.CURRENT; a migrated row keeps the leaf format it was written with


def require_keys(stored_events: Sequence[StoredEvent]) -> None:
    """A ledger stores every event under its key: refuse, clearly, any event without one."""
    for event in stored_events:
        if not (isinstance(event, KeyedStoredEvent) and event.key):
            raise TypeError(
                f"stored event {event.originator_id}/{event.originator_version} has no key; "
                "a ledger stores KeyedStoredEvent only"
            )


@dataclass(frozen=True)
class KeyRow:
    """Where a key is stored: enough to tell skip from conflict and to find the event."""

    key: str
    content_hash: str
    position: int
    originator_id: UUID
    topic: str
    state: bytes


# One stored row, undecoded, as verify, sealing and migration read it: (position, stream as
# hex, version, topic, state, chain, key, content hash). A tampered row may hold other types.
ScanRow = tuple[Any, ...]


@runtime_checkable
class LedgerStore(Protocol):
    """A ledger's store: an append-only, gap-free log of keyed events."""

    # eventsourcing's own: the datastore (SQLite's or PostgreSQL's) and the events table,
    # for the few store-specific statements (the meta table, retraction lookups)
    datastore: Any
    events_table_name: str

    def session(self, *, commit: bool = True) -> AbstractContextManager[None]:
        """One write transaction across many inserts; ``commit=False`` rolls it back. In it,
        this thread reads what it wrote so far; other threads wait their turn to write."""
        ...

    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> list[int]:
        """Append keyed events (in the open session, else in one of their own); positions."""
        ...

    def select_events(
        self,
        originator_id: UUID | str,
        *,
        gt: int | None = None,
        lte: int | None = None,
        desc: bool = False,
        limit: int | None = None,
    ) -> Sequence[StoredEvent]:
        """One stream's events (how the application rebuilds an aggregate)."""
        ...

    def select_notifications(
        self,
        start: int | None,
        limit: int,
        stop: int | None = None,
        topics: Sequence[str] = (),
        *,
        inclusive_of_start: bool = True,
    ) -> Sequence[Notification]:
        """The log in position order, from ``start`` to ``stop``, optionally of some topics."""
        ...

    def max_notification_id(self) -> int | None:
        """The head position (None for an empty log)."""
        ...

    def select_keys(self, keys: list[str]) -> dict[str, KeyRow]:
        """The stored rows of those keys that exist."""
        ...

    def existing_streams(self, originator_ids: list[UUID]) -> set[UUID]:
        """Which of these streams hold at least one event."""
        ...

    def stream_exists(self, originator_id: UUID) -> bool:
        """Whether this stream holds at least one event."""
        ...

    def all_keys(self) -> list[str]:
        """The key of every stored event (a scan of the key index)."""
        ...

    def all_streams(self) -> set[UUID]:
        """Every stream that holds an event (a scan of the primary key's index)."""
        ...

    def scan_page(self, after: int, limit: int) -> list[ScanRow]:
        """Raw rows after a position, in order: no decoding (verify's hot path)."""
        ...

    def recorded_ats(self) -> list[tuple[int, str]]:
        """(position, recorded_at) of every event, read inside the stored records."""
        ...


if TYPE_CHECKING:
    from diplo.domain.store.postgres import LedgerPostgresRecorder
    from diplo.domain.store.sqlite import LedgerRecorder

    def _both_recorders_are_ledger_stores(
        sqlite: LedgerRecorder, postgres: LedgerPostgresRecorder
    ) -> list[LedgerStore]:
        """Never called: mypy checks here that both recorders satisfy the interface."""
        return [sqlite, postgres]
