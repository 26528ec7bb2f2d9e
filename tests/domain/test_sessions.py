"""Threads sharing one recorder: each session is its thread's own, and writers take turns.

Every test runs on both stores (``any_store``), through the one store interface.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from uuid import uuid4

import pytest
from eventsourcing.persistence import StoredEvent

from diplo.domain.app.ledger import Ledger
from diplo.domain.integrity.verify import scan
from diplo.domain.store.interface import KeyedStoredEvent, LedgerStore
from diplo.domain.store.opening import open_ledger


@pytest.fixture
def opened(any_store: str) -> Iterator[Ledger]:
    ledger = open_ledger(any_store)
    yield ledger
    ledger.close()


def events(label: str, count: int = 1) -> list[KeyedStoredEvent]:
    """``count`` keyed events of one new stream."""
    stream = uuid4()
    return [
        KeyedStoredEvent(
            originator_id=stream,
            originator_version=version,
            topic="topic",
            state=f"{label}/{version}".encode(),
            key=f"{label}/{version}",
            content_hash=hashlib.sha256(label.encode()).hexdigest(),
        )
        for version in range(1, count + 1)
    ]


def test_both_recorders_offer_the_one_store_interface(opened: Ledger) -> None:
    assert isinstance(opened.recorder, LedgerStore)


def test_threads_writing_through_one_recorder_leave_a_whole_log(opened: Ledger) -> None:
    store, stop = opened.recorder, threading.Event()
    seen: list[int] = []

    def read() -> None:
        while not stop.is_set():
            seen.extend(n.id for n in store.select_notifications(None, 1000))

    reader = threading.Thread(target=read)
    reader.start()
    with ThreadPoolExecutor(max_workers=8) as pool:
        written = list(pool.map(lambda n: store.insert_events(events(f"w{n}", 5)), range(40)))
    stop.set()
    reader.join()

    positions = sorted(p for batch in written for p in batch)
    assert positions == list(range(1, 201))
    assert all(batch == list(range(batch[0], batch[0] + 5)) for batch in written)
    assert store.max_notification_id() == 200
    assert scan(opened).problems == []  # the hash chain holds across every thread's writes


def test_a_session_is_its_own_threads_and_other_writers_wait_for_its_end(opened: Ledger) -> None:
    store = opened.recorder
    written, release, done = threading.Event(), threading.Event(), threading.Event()
    positions: dict[str, list[int]] = {}

    def first() -> None:
        with store.session():
            positions["first"] = store.insert_events(events("first"))
            assert [n.id for n in store.select_notifications(None, 10)] == [1]  # its own write
            written.set()
            release.wait(10)

    def second() -> None:
        positions["second"] = store.insert_events(events("second"))
        done.set()

    holder = threading.Thread(target=first)
    holder.start()
    assert written.wait(10)
    assert store.select_notifications(None, 10) == []  # not committed: other threads see none
    waiter = threading.Thread(target=second)
    waiter.start()
    assert not done.wait(0.5)  # its insert waits for the open session to end
    release.set()
    holder.join()
    waiter.join()

    assert positions == {"first": [1], "second": [2]}


def test_sessions_do_not_nest_in_one_thread(opened: Ledger) -> None:
    with (
        opened.recorder.session(),
        pytest.raises(RuntimeError, match="do not nest"),
        opened.recorder.session(),
    ):
        pass


def test_an_event_without_a_key_is_refused_and_nothing_is_written(opened: Ledger) -> None:
    plain = StoredEvent(originator_id=uuid4(), originator_version=1, topic="t", state=b"{}")

    with pytest.raises(TypeError, match="has no key"):
        opened.recorder.insert_events([plain])

    assert opened.recorder.max_notification_id() is None
