"""Verify benchmark: recompute the hash chain and Merkle root over N events.

Baseline, in the same run: reading every row (the same query verify pages through) plus
sha256 over each row's stored bytes: the floor for any verifier that hashes what is stored.
Also times an ``--as-of`` report (views rebuilt for the past, then rendered).
Usage: python -m bench.bench_verify 100000 1000000
"""

from __future__ import annotations

import hashlib
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from bench.fixtures import ledger_file
from diplo.domain.app.ledger import Ledger
from diplo.domain.integrity.verify import PAGE, scan
from diplo.domain.store.opening import open_ledger
from diplo.projections import render, reports
from diplo.projections.runner import rebuild
from diplo.projections.views import Views


def stored_bytes(ledger: Ledger) -> Iterator[bytes]:
    """Every row's stored state, read page by page as verify reads them."""
    after = 0
    while page := ledger.recorder.scan_page(after, PAGE):
        yield from (row[4] for row in page)
        after = page[-1][0]


def run(events: int) -> None:
    ledger = open_ledger(ledger_file(events))
    started = time.perf_counter()
    states = list(stored_bytes(ledger))
    read = time.perf_counter() - started
    started = time.perf_counter()
    for state in states:
        hashlib.sha256(state).digest()
    baseline = time.perf_counter() - started
    started = time.perf_counter()
    result = scan(ledger, keep_leaves=False)  # as `diplo verify` does: flat memory
    result.root.hex()
    verify = time.perf_counter() - started
    assert not result.problems
    print(
        f"{events:>9,} events  verify {verify:6.2f} s ({events / verify:9,.0f} events/s)  "
        f"read {read:5.2f} s + sha256 {baseline:5.2f} s  ratio to read+sha256 "
        f"{verify / (read + baseline):4.1f}x"
    )
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "past.db")
        started = time.perf_counter()
        rebuild(ledger, path, stop=events // 2, log=False)  # as `diplo report --as-of` does
        views = Views(path)
        pair = views.db.execute(
            "SELECT country_a, country_b FROM partnerships ORDER BY grants DESC"
        ).fetchone()
        render.markdown(reports.partnership(views.db, *pair))
        views.close()
        print(
            f"{'':>9}  --as-of position {events // 2:,} partnership report "
            f"{time.perf_counter() - started:6.2f} s (views rebuilt for the past)"
        )
    ledger.close()


if __name__ == "__main__":
    for count in [int(arg) for arg in sys.argv[1:]] or [100_000]:
        run(count)
