"""The bulk rebuild (``projections.rebuild``): rows inserted by a child process, the log read
in chunks, give the same views as catching up event by event; a failed rebuild leaves the
views it was to replace as they were."""

from __future__ import annotations

import contextlib
import marshal
import tempfile
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diplo.domain.store.opening import open_ledger
from diplo.events.catalog import parse_fact
from diplo.events.errors import LedgerError
from diplo.projections import rebuild as bulk
from diplo.projections.runner import rebuild, update
from diplo.projections.views import Views
from diplo.projections.writer import AHEAD, FRAME, Child
from tests.generate import generate
from tests.projections.helpers import dump
from tests.strategies import event_sequences, money_sequences

Dump = dict[str, list[tuple[Any, ...]]]  # every row of every view table (helpers.dump)


def _record(folder: str, bodies: list[dict[str, Any]]) -> Any:
    ledger = open_ledger(str(Path(folder) / "ledger.db"), create=True)
    for number, body in enumerate(bodies):
        with contextlib.suppress(LedgerError):  # refused: not in the log
            ledger.record([(str(number), parse_fact(body))], recorded_by="property")
    return ledger


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(event_sequences(), money_sequences()),
    st.integers(1, 7),
    st.booleans(),
)
def test_a_bulk_rebuild_equals_catching_up_one_event_at_a_time(
    bodies: list[dict[str, Any]], read: int, child: bool
) -> None:
    """Corrections, retractions and corroborations included; in chunks of any size, with
    the rows inserted here or by a child process."""
    with mock.patch.object(bulk, "CHUNK", read):
        rebuilt, caught_up = _rebuilt_and_caught_up(bodies, child=child)
    assert rebuilt == caught_up


def _rebuilt_and_caught_up(bodies: list[dict[str, Any]], *, child: bool) -> tuple[Dump, Dump]:
    """The views of ``bodies`` rebuilt in bulk, and caught up event by event, dumped."""
    with tempfile.TemporaryDirectory() as folder:
        ledger = _record(folder, bodies)
        views = Views(str(Path(folder) / "incremental.db"))
        try:
            update(ledger, views, chunk=1)
            rebuilt = str(Path(folder) / "rebuilt.db")
            rebuild(ledger, rebuilt, child=child)
            return dump(rebuilt), dump(str(Path(folder) / "incremental.db"))
        finally:
            views.close()
            ledger.close()


def _failing_put(self: Child, tables: dict[str, list[dict[str, Any]]], *handed: Any) -> None:
    message = marshal.dumps({"no such table": [{}]})  # a frame as ``Child.put`` sends one
    self._write(FRAME.pack(len(message)) + message)


@pytest.mark.parametrize("child", [True, False])
def test_a_rebuild_whose_writing_fails_leaves_the_old_views_and_no_scratch(child: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        ledger = _record(folder, list(generate(60)))
        path = str(Path(folder) / "views.db")
        try:
            rebuild(ledger, path)
            before = dump(path)
            if child:  # the child reports what failed once the parent is done
                broken = mock.patch.object(Child, "put", _failing_put)
                expected: tuple[type[Exception], str] = (RuntimeError, "KeyError: 'no such table'")
            else:
                broken = mock.patch.object(bulk._Writer, "put", side_effect=OSError("disk full"))
                expected = (OSError, "disk full")
            with broken, pytest.raises(expected[0], match=expected[1]):
                rebuild(ledger, path, child=child)
            assert dump(path) == before
            assert sorted(p.name for p in Path(folder).iterdir() if ".rebuild-" in p.name) == []
        finally:
            ledger.close()


@pytest.mark.parametrize("count", [0, 1, 31, 32, 33, 100])
@pytest.mark.parametrize("shape", ["tuples", "dicts"])
def test_rows_inserted_by_blocks_are_the_rows_in_their_order(count: int, shape: str) -> None:
    """``insert`` puts whole blocks in with one statement each and the rest one by one: the
    table holds every row, in order, as inserting them one at a time leaves it."""
    from diplo.projections.writer import _block, insert

    size = _block("_log")[1]
    assert 1 < size < 100  # the counts above make whole blocks, a remainder, or both
    rows = [(n, f"key-{n}", f"summary {n}", "DE,JP" if n % 2 else "") for n in range(1, count + 1)]
    given: list[Any] = rows
    if shape == "dicts":
        columns = ("position", "key", "summary", "countries")
        given = [dict(zip(columns, row, strict=True)) for row in rows]
    with tempfile.TemporaryDirectory() as folder:
        views = Views(str(Path(folder) / "views.db"))
        try:
            insert(views.db.conn, "_log", given)
            stored = views.db.execute("SELECT * FROM _log ORDER BY rowid").fetchall()
        finally:
            views.close()
    assert stored == rows


def test_a_row_of_another_width_is_refused_not_shifted_into_the_next() -> None:
    from diplo.projections.writer import _block, insert

    size = _block("_log")[1]
    rows: list[Any] = [(n, f"key-{n}", "summary", "") for n in range(size * 2)]
    rows[3] = (3, "key-3", "summary")  # a cell short: the rows after it would move by one
    rows[4] = (4, "key-4", "summary", "", "")  # a cell more: the total still adds up
    with tempfile.TemporaryDirectory() as folder:
        views = Views(str(Path(folder) / "views.db"))
        try:
            with pytest.raises(ValueError, match="_log must have 4 cells"):
                insert(views.db.conn, "_log", rows)
        finally:
            views.close()


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(event_sequences(), money_sequences()),
    st.integers(1, 4),
    st.integers(0, 4),
)
def test_events_handed_to_the_child_give_the_rows_this_side_would(
    bodies: list[dict[str, Any]], flush: int, here: int
) -> None:
    """Of each chunk of ``flush`` events the parent derives ``here`` and hands the rest to
    the child, which keeps a directory of its own: the views equal catching up event by
    event whoever derives what (corrected registrations and the cascade included)."""
    with (
        mock.patch.object(bulk, "FLUSH", flush),
        mock.patch.object(bulk, "HERE", here),
        mock.patch.object(bulk, "STEP", 0),
    ):
        rebuilt, caught_up = _rebuilt_and_caught_up(bodies, child=True)
    assert rebuilt == caught_up


@pytest.mark.parametrize(
    ("backlog", "moved"),
    [(0, -bulk.STEP), (bulk.EVEN - 1, -bulk.STEP), (bulk.EVEN, 0), (bulk.EVEN + 1, bulk.STEP)]
    + [(AHEAD, bulk.STEP)],
)
def test_the_parent_derives_more_when_the_child_falls_behind_fewer_when_it_keeps_up(
    backlog: int, moved: int
) -> None:
    load = bulk._Load.__new__(bulk._Load)  # only its share is looked at
    load.here, load.backlog = bulk.HERE, backlog  # as long as at the last chunk
    load._balance(backlog)
    assert load.here == bulk.HERE + moved
    load._balance(backlog + 1)  # one frame more than then: sooner more here
    behind = (backlog + 1 > bulk.EVEN) - (backlog + 1 < bulk.EVEN)
    assert load.here == bulk.HERE + moved + bulk.TREND + bulk.STEP * behind
    load.here, load.backlog = 0, 0
    load._balance(0)
    assert load.here == 0  # never below none, nor above a whole chunk
    load.here = bulk.FLUSH
    load._balance(AHEAD)
    assert load.here == bulk.FLUSH


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(event_sequences(), st.integers(1, 3))
def test_the_amendments_a_rebuild_plans_by_are_the_recorders_in_log_order(
    bodies: list[dict[str, Any]], read: int
) -> None:
    """``amending`` reads SQLite itself, ``read`` at a time: the same records, in the same
    order, as the recorder selects by topic, up to any position."""
    from diplo.domain.store.topics import topics_among

    topics = topics_among()
    with tempfile.TemporaryDirectory() as folder:
        ledger = _record(folder, bodies)
        try:
            for stop in range(ledger.head() + 1):
                expected = (
                    [n.state for n in ledger.recorder.select_notifications(1, 10**6, stop, topics)]
                    if stop
                    else []
                )
                with mock.patch.object(bulk, "CHUNK", read):
                    assert list(bulk.amending(ledger, stop, topics)) == expected
        finally:
            ledger.close()
