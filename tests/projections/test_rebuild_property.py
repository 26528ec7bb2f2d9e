"""For any valid event sequence, views updated incrementally equal views rebuilt from scratch."""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diplo.domain.store.opening import open_ledger
from diplo.events.catalog import parse_fact
from diplo.events.errors import LedgerError
from diplo.projections.runner import rebuild, update
from diplo.projections.views import Views
from tests.projections.helpers import dump
from tests.strategies import event_sequences, money_sequences


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    event_sequences(),
    st.lists(st.integers(1, 6), min_size=1, max_size=12),
    st.lists(st.integers(1, 4), min_size=1, max_size=6),
)
def test_incremental_updates_in_random_batches_equal_a_rebuild(
    bodies: list[dict[str, Any]], batch_sizes: list[int], chunk_sizes: list[int]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        ledger = open_ledger(str(Path(folder) / "ledger.db"), create=True)
        views = Views(str(Path(folder) / "incremental.db"))
        try:
            remaining, turn = list(bodies), 0
            while remaining:
                size = batch_sizes[turn % len(batch_sizes)]
                batch, remaining = remaining[:size], remaining[size:]
                ledger.record(
                    [(str(i), parse_fact(b)) for i, b in enumerate(batch)], recorded_by="property"
                )
                update(ledger, views, chunk=chunk_sizes[turn % len(chunk_sizes)])
                turn += 1
            rebuilt = str(Path(folder) / "rebuilt.db")
            rebuild(ledger, rebuilt)
            assert dump(rebuilt) == dump(str(Path(folder) / "incremental.db"))
        finally:
            views.close()
            ledger.close()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    money_sequences(),
    st.lists(st.integers(1, 30), min_size=1, max_size=8),  # up to the whole log at once
    st.lists(st.integers(1, 30), min_size=1, max_size=4),
)
def test_catching_up_in_any_chunks_moves_the_running_totals_as_a_rebuild_sums_them(
    bodies: list[dict[str, Any]], stops: list[int], chunk_sizes: list[int]
) -> None:
    """Corrections change or remove amounts already counted, change dates, and move events
    between pairs; retractions take them out: each catch-up must subtract what it no longer
    counts, in the chunk that added it or in a later one."""
    with tempfile.TemporaryDirectory() as folder:
        ledger = open_ledger(str(Path(folder) / "ledger.db"), create=True)
        views = Views(str(Path(folder) / "incremental.db"))
        try:
            for number, body in enumerate(bodies):
                with contextlib.suppress(LedgerError):  # refused: not in the log
                    ledger.record([(str(number), parse_fact(body))], recorded_by="property")
            position, turn = 0, 0
            while position < ledger.head():
                position = min(position + stops[turn % len(stops)], ledger.head())
                update(ledger, views, stop=position, chunk=chunk_sizes[turn % len(chunk_sizes)])
                turn += 1
            rebuilt = str(Path(folder) / "rebuilt.db")
            rebuild(ledger, rebuilt)
            assert dump(rebuilt) == dump(str(Path(folder) / "incremental.db"))
        finally:
            views.close()
            ledger.close()
