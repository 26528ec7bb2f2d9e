"""Views benchmark: rebuild, catch-up and report times over N generated events.

Baselines, in the same run: a plain sqlite3 scan of the same notification rows (what reading the
log costs before any projection work), and sqlite3 alone inserting the rows the rebuild wrote
(what writing the views costs before any deriving: SQLite has one writer per file).
Usage: python -m bench.bench_views 100000 1000000
"""

from __future__ import annotations

import os
import resource
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.fixtures import ledger_file
from diplo.domain.app.ledger import Ledger
from diplo.domain.store.opening import open_ledger
from diplo.projections import render, reports
from diplo.projections.runner import rebuild, update
from diplo.projections.views import Views
from diplo.projections.writer import BLOCK

LEAD = 10_000  # events caught up before the measured 1,000, in ``settled_views``


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


def raw_insert(views: str, target: str) -> float:
    """What any rebuild must at least pay on this machine: the rows the rebuild wrote into
    ``views``, inserted by sqlite3 alone into empty tables of the same schema in ``target``
    (one transaction, no journal, no sync, as the rebuild's writer), then the same secondary
    indexes built. Each table's rows are read before the clock starts for it: only
    SQLite's own inserting and indexing is timed, with no deriving at all."""
    source = sqlite3.connect(views)
    made = source.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL "
        "AND name NOT LIKE 'sqlite_%' ORDER BY type DESC"  # tables first, then indexes
    ).fetchall()
    db = sqlite3.connect(target, isolation_level=None)
    for pragma in ("journal_mode=OFF", "synchronous=OFF"):
        db.execute(f"PRAGMA {pragma}")
    for kind, _, sql in made:
        if kind == "table":
            db.execute(sql)
    took = 0.0
    db.execute("BEGIN")
    for kind, name, _ in made:
        if kind != "table":
            continue
        rows = source.execute(f'SELECT * FROM "{name}"').fetchall()
        if rows:
            took += _insert(db, name, rows)
        del rows
    indexes = [sql for kind, _, sql in made if kind == "index"]
    took += timed(lambda: [db.execute(sql) for sql in indexes] + [db.execute("COMMIT")])
    db.close()
    source.close()
    return took


def _insert(db: sqlite3.Connection, table: str, rows: list[tuple[object, ...]]) -> float:
    """Rows by blocks of up to ``BLOCK`` per INSERT (SQLite's fastest way from Python, as the
    rebuild's writer does), the rest one per INSERT; the blocks are made before the clock
    starts."""
    width = len(rows[0])
    size = max(1, min(BLOCK, 999 // width))
    one = f"({', '.join('?' * width)})"
    whole = len(rows) - len(rows) % size
    blocks = [[cell for row in rows[i : i + size] for cell in row] for i in range(0, whole, size)]
    block = f'INSERT INTO "{table}" VALUES {", ".join([one] * size)}'
    started = time.perf_counter()
    db.executemany(block, blocks)
    db.executemany(f'INSERT INTO "{table}" VALUES {one}', rows[whole:])
    return time.perf_counter() - started


def caught_up(ledger: Ledger, behind: str, copy: str) -> float:
    """The time to open a copy of the views file ``behind`` and bring it up to date, as a
    command that records or reads pays it (its pages on disk first: else the catch-up's
    first sync would write the whole copy out)."""
    shutil.copyfile(behind, copy)
    with open(copy, "rb") as copied:
        os.fsync(copied.fileno())
    started = time.perf_counter()
    views = Views(copy)
    update(ledger, views)
    took = time.perf_counter() - started
    views.close()
    return took


def settled_views(ledger: Ledger, path: str, events: int) -> None:
    """Views 1,000 events behind as a deployment that imports keeps them: rebuilt ``LEAD``
    events earlier (or half the ledger, if smaller), then caught up 1,000 at a time.

    Right after a rebuild, every secondary index is packed full (SQLite's CREATE INDEX fills
    each leaf), so the first insert into each leaf splits it; on a 10x larger ledger, 1,000
    events meet up to ten times as many distinct leaves, and split each. Catch-ups leave the
    leaves they touched with room, as any B-tree's inserts do. Both states are measured."""
    lead = min(LEAD, (events - 1000) // 2)
    start = events - 1000 - lead
    rebuild(ledger, path, stop=start)
    views = Views(path)
    for stop in [*range(start + 1000, events - 1000, 1000), events - 1000]:
        update(ledger, views, stop=stop)
    assert views.max_tracking_id() == events - 1000
    views.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    views.close()


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
        floor = raw_insert(path, str(Path(folder) / "raw.db"))
        print(
            f"{'':>9}  raw sqlite3 insert of the same rows {floor:6.2f} s"
            f"  rebuild/that {seconds / floor:4.2f}x"
        )
        behind = str(Path(folder) / "behind.db")
        rebuild(ledger, behind, stop=events - 1000)
        catch_up = min(caught_up(ledger, behind, str(Path(folder) / "copy.db")) for _ in range(3))
        print(f"{'':>9}  catch-up of the last 1,000 events {catch_up:6.3f} s  after a rebuild")
        settled = str(Path(folder) / "settled.db")
        settled_views(ledger, settled, events)
        later = min(caught_up(ledger, settled, str(Path(folder) / "copy.db")) for _ in range(3))
        print(f"{'':>9}  {'':>33} {later:6.3f} s  after catch-ups too")
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
