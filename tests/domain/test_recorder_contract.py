"""Both recorders keep eventsourcing's own recorder contract: its ``ApplicationRecorderTestCase``
runs, unchanged, against the SQLite and the PostgreSQL recorder, each opened as a ledger is.

Our recorders store a key and a content hash with every event, which eventsourcing's plain
``StoredEvent`` lacks; the contract builds its events by calling that name, so each test
builds them with keys instead (see ``KeyedContractEvents``). Nothing else is changed, and no
test of the contract is skipped.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from pathlib import Path
from uuid import UUID

import pytest
from eventsourcing.tests import persistence as contract

from diplo.domain.app.ledger import Ledger
from diplo.domain.store.interface import KeyedStoredEvent
from diplo.domain.store.opening import open_ledger
from diplo.domain.store.postgres import LedgerPostgresRecorder
from diplo.domain.store.sqlite import LedgerRecorder


def keyed_event(
    *, originator_id: UUID | str, originator_version: int, topic: str, state: bytes
) -> KeyedStoredEvent:
    """The contract's event with a key naming its place in its stream, so that storing the
    same place twice (which the contract expects to fail) is also a duplicate key."""
    return KeyedStoredEvent(
        originator_id=originator_id,
        originator_version=originator_version,
        topic=topic,
        state=state,
        key=f"{originator_id}/{originator_version}",
        content_hash=hashlib.sha256(state).hexdigest(),
    )


class KeyedContractEvents:
    """The contract calls ``StoredEvent(...)`` of its own module wherever it makes an event
    and has no factory method to override: for each test, that name builds keyed events."""

    @pytest.fixture(autouse=True)
    def _keyed_events(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(contract, "StoredEvent", keyed_event)

    def close_at_end(self, ledger: Ledger) -> None:
        """Close the ledger after the test, once the reader threads the contract started
        (and signals to stop, but never joins) are done: closing a store under a running
        query can crash the interpreter."""
        before = set(threading.enumerate())

        def close() -> None:
            for thread in set(threading.enumerate()) - before:
                thread.join(timeout=30)
            ledger.close()

        self.addCleanup(close)  # type: ignore[attr-defined]

    # The contract's threads and timings: in the full run, not in the quick loop.
    @pytest.mark.slow
    def test_concurrent_no_conflicts(self, initial_position: int = 0) -> None:
        super().test_concurrent_no_conflicts(initial_position)  # type: ignore[misc]

    @pytest.mark.slow
    def test_concurrent_throughput(self) -> None:
        super().test_concurrent_throughput()  # type: ignore[misc]

    @pytest.mark.slow
    def test_performance(self) -> None:
        super().test_performance()  # type: ignore[misc]


class TestSQLiteRecorderKeepsTheContract(
    KeyedContractEvents, contract.ApplicationRecorderTestCase[LedgerRecorder]
):
    @pytest.fixture(autouse=True)
    def _folder(self, tmp_path: Path) -> None:
        self.folder = tmp_path

    def create_recorder(self) -> LedgerRecorder:
        ledger = open_ledger(str(self.folder / "ledger.db"), create=True)
        self.close_at_end(ledger)
        assert isinstance(ledger.recorder, LedgerRecorder)
        return ledger.recorder


class TestPostgresRecorderKeepsTheContract(
    KeyedContractEvents, contract.ApplicationRecorderTestCase[LedgerPostgresRecorder]
):
    @pytest.fixture(autouse=True)
    def _schema(self, pg_store: str) -> Iterator[None]:
        self.url = pg_store
        yield

    def create_recorder(self) -> LedgerPostgresRecorder:
        ledger = open_ledger(self.url)
        self.close_at_end(ledger)
        assert isinstance(ledger.recorder, LedgerPostgresRecorder)
        return ledger.recorder
