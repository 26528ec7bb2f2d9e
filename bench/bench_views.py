"""Views benchmark: rebuild, catch-up and report times over N generated events.

Baseline, in the same run: a plain sqlite3 scan of the same notification rows (what reading the
log costs before any projection work). Usage: python -m bench.bench_views 100000 1000000
"""

from __future__ import annotations

import resource
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.fixtures import ledger_file
from diplo.domain.store.opening import open_ledger
from diplo.projections import render, reports
from diplo.projections.runner import rebuild, update
from diplo.projections.views import Views


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def cpu() -> tuple[float, float]:
    """CPU seconds of this process and of its finished children (the rebuild's writer): on
    shared cores, what a rebuild costs even when its wall time waits for other processes."""
    own, children = (
        resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def raw_scan(store: str) -> float:
    db = sqlite3.connect(store)
    try:
        return timed(
            lambda: db.execute(
                "SELECT rowid, originator_id, originator_version, topic, state FROM stored_events "
                "ORDER BY rowid"
            ).fetchall()
        )
    finally:
        db.close()


def run(events: int) -> None:
    store = ledger_file(events)
    ledger = open_ledger(store)
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "views.db")
        baseline = raw_scan(store)
        before = cpu()
        seconds = timed(lambda: rebuild(ledger, path))
        main, writer = (after - earlier for after, earlier in zip(cpu(), before, strict=True))
        print(
            f"{events:>9,} events  rebuild {seconds:6.2f} s  {events / seconds:8,.0f} events/s"
            f"  raw sqlite3 scan {baseline:5.2f} s  ratio {seconds / baseline:5.1f}x"
            f"  (CPU {main:.2f} s + writer process {writer:.2f} s)"
        )
        behind = str(Path(folder) / "behind.db")
        rebuild(ledger, behind, stop=events - 1000)
        views = Views(behind)
        catch_up = timed(lambda: update(ledger, views))
        views.close()
        print(f"{'':>9}  catch-up of the last 1,000 events {catch_up:6.3f} s")
        views = Views(path)
        busiest = views.db.execute(
            "SELECT country_a, country_b FROM partnerships ORDER BY grants DESC"
        ).fetchone()
        for name, build in (
            ("partnership md", lambda: render.markdown(reports.partnership(views.db, *busiest))),
            ("partnership html", lambda: render.html(reports.partnership(views.db, *busiest))),
            ("grants json", lambda: render.as_json(reports.grants(views.db))),
        ):
            print(f"{'':>9}  report {name:<17} {timed(build):6.3f} s")
        views.close()
    ledger.close()


if __name__ == "__main__":
    for count in [int(arg) for arg in sys.argv[1:]] or [100_000]:
        run(count)
