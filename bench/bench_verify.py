"""Verify benchmark: recompute the hash chain and Merkle root over N events.

Baseline, in the same run: sha256 over the same stored bytes (the floor for any hashing
verifier). Also times an ``--as-of`` report (views rebuilt for the past, then rendered).
Usage: python -m bench.bench_verify 100000 1000000
"""

from __future__ import annotations

import hashlib
import sys
import tempfile
import time
from pathlib import Path

from bench.fixtures import ledger_file
from diplo.domain.integrity import merkle
from diplo.domain.integrity.verify import rows, scan
from diplo.domain.store.opening import open_ledger
from diplo.projections import render, reports
from diplo.projections.runner import rebuild
from diplo.projections.views import Views


def run(events: int) -> None:
    ledger = open_ledger(ledger_file(events))
    started = time.perf_counter()
    states = [row.leaf() for row in rows(ledger)]
    read = time.perf_counter() - started
    started = time.perf_counter()
    for state in states:
        hashlib.sha256(state).digest()
    baseline = time.perf_counter() - started
    started = time.perf_counter()
    result = scan(ledger)
    merkle.root(result.leaves)
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
        rebuild(ledger, path, stop=events // 2)
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
