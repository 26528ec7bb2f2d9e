"""Every speed figure of issue 12 in one run, as ratios to baselines measured in the same run,
each step in a fresh child process so that its peak memory (``own_peak``) is its own: the
peak of the step's process only (a rebuild's writer process is not counted in it).

- import: the bulk path (``diplo import``: the input read ahead in a second process), the
  single-record path (aggregates, chunk by chunk, reading in-process) and reading + validating
  alone, against raw sqlite3 ``executemany`` of the same rows and against diplo's recorder
  alone (eventsourcing's recorder + key column + hash chain, given the stored events
  ready-made); into PostgreSQL too, if reachable. Each is the best of three runs, but the
  single-record path (slow, and no goal's yardstick); the import and raw sqlite3 also in
  three pairs run back to back, and the median of the pairs' ratios.
- views: catch-up of the last 1,000 events, opening the views included, on a small and a 10x
  larger ledger, right after a rebuild and in views kept by catch-ups
  (``bench_views.settled_views``); a rebuild against a raw scan of the log, and against
  sqlite3 alone inserting the rows it wrote (and building the same indexes): the least any
  rebuild into one SQLite file can take.
- verify: against reading every row + sha256 of its bytes.
- Python's pace: a fixed pure-Python loop, timed at the start and at the end of the run. On a
  shared host it moves (by a third within an hour here), and every ratio to a C baseline
  with it: compare runs of like pace.
Usage: python -m bench.bench_all [EVENTS [SMALL LARGE]]: import EVENTS (default 20,000);
views and verify over generated ledgers of SMALL and LARGE events (default EVENTS/10 and
EVENTS; built once and cached in $DIPLO_BENCH_DIR, see bench/fixtures.py).
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

REPEAT = 3  # runs of each measure (``best``), and pairs of import and raw sqlite3
PG = os.environ.get("DIPLO_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")


def child(step: str, *args: str) -> tuple[float, float]:
    """Run ``step`` in a fresh interpreter: (seconds it reports, its peak memory in MB)."""
    process = subprocess.run(
        [sys.executable, "-m", "bench.bench_all", "--step", step, *args],
        stdout=subprocess.PIPE,
        cwd=Path(__file__).resolve().parent.parent,
        check=False,
    )
    if process.returncode != 0:
        raise RuntimeError(f"step {step} failed: {process.stdout.decode()}")
    took, peak = json.loads(process.stdout.splitlines()[-1])
    return float(took), float(peak)


def own_peak() -> float:
    """This process's peak resident memory in MB, since it began to run its program.

    Not ``getrusage``'s ``ru_maxrss``, as the parent read it from ``wait4`` before: Linux
    keeps there the largest memory the process ever had, and a child spawned by a parent
    of 89 MB starts out as that parent (until it runs its program), so every step showed
    at least the parent's 89 MB. The kernel's ``VmHWM`` is of the program's own memory."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # no /proc: as before


def timed(action: Any) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


# --- steps, each run in its own process -------------------------------------------------


def warm_up(events: str) -> None:
    """Validate the first lines once before the clock starts: pydantic builds each type's
    validator on first use (about a second in all), a cost paid once per process, not per
    event, that would otherwise swamp the rates of small runs."""
    from itertools import islice

    from diplo.cli.inputs import ImportFiles

    for _ in islice(ImportFiles([events]), 2000):
        pass


def step_import(events: str, store: str, bulk: str) -> float:
    """``diplo import`` (bulk: read ahead in a second process, as the CLI does), or the
    single-record path, reading in-process."""
    from diplo.cli.inputs import ImportFiles
    from diplo.domain.app.ahead import ReadAhead
    from diplo.domain.store.opening import open_ledger

    warm_up(events)
    ledger = open_ledger(store, create=True)
    if bulk == "bulk":

        def read_ahead() -> None:
            with ReadAhead(ImportFiles([events]), "bench") as facts:
                ledger.record(facts, recorded_by="bench")

        took = timed(read_ahead)
    else:
        took = timed(lambda: ledger.record(ImportFiles([events]), recorded_by="bench", bulk=False))
    ledger.close()
    return took


def step_validate(events: str) -> float:
    from diplo.cli.inputs import ImportFiles

    warm_up(events)
    return timed(lambda: sum(1 for _ in ImportFiles([events])))


def step_recorder(source: str, store: str) -> float:
    """The stored events of ``source``, ready-made, through diplo's recorder alone."""
    from bench.fixtures import stored_events
    from diplo.domain.store.opening import open_ledger

    stored = stored_events(source)
    ledger = open_ledger(store, create=True)

    def insert() -> None:
        with ledger.recorder.session():
            ledger.recorder.insert_events(stored)

    took = timed(insert)
    ledger.close()
    return took


def step_raw(source: str, target: str) -> float:
    from bench.bench_import import raw_sqlite

    return raw_sqlite(source, target)


def _behind(size: str, state: str) -> Path:
    """Where the views 1,000 events behind are cached beside the ledger: one file per
    layout (views of another layout would be derived again in full when opened)."""
    from bench.fixtures import CACHE
    from diplo.projections.views import layout

    return CACHE / f"views-{state}-{size}-{layout()}.db"


def step_behind(size: str, state: str) -> float:
    """Make the views 1,000 events behind that ``step_catch_up`` copies, if not cached yet:
    in a process of its own, so that the catch-up's peak memory is its own, not a rebuild's.
    They are either ``rebuilt`` 1,000 events back, or ``settled``: rebuilt further back and
    caught up since (``bench_views.settled_views``)."""
    from bench.bench_views import settled_views
    from bench.fixtures import ledger_file
    from diplo.domain.store.opening import open_ledger
    from diplo.projections.runner import rebuild

    cached = _behind(size, state)
    if cached.exists():
        return 0.0
    ledger = open_ledger(ledger_file(int(size)))
    started = time.perf_counter()
    if state == "rebuilt":
        rebuild(ledger, f"{cached}.part", stop=int(size) - 1000)
    else:
        settled_views(ledger, f"{cached}.part", int(size))
    Path(f"{cached}.part").rename(cached)
    return time.perf_counter() - started


def step_catch_up(size: str, folder: str, state: str = "rebuilt") -> float:
    """The views 1,000 events behind (``step_behind``) brought up to date: the best of three
    copies (other machines' work slows this one by turns)."""
    from bench.bench_views import caught_up
    from bench.fixtures import ledger_file
    from diplo.domain.store.opening import open_ledger

    cached = _behind(size, state)
    if not cached.exists():
        raise RuntimeError(f"{cached} is missing: run the step 'behind' first")
    ledger = open_ledger(ledger_file(int(size)))
    return min(
        caught_up(ledger, str(cached), str(Path(folder) / f"behind-{size}-{run}.db"))
        for run in range(3)
    )


def step_rebuild(size: str, folder: str) -> float:
    from bench.fixtures import ledger_file
    from diplo.domain.store.opening import open_ledger
    from diplo.projections.runner import rebuild

    ledger = open_ledger(ledger_file(int(size)))
    return timed(lambda: rebuild(ledger, str(Path(folder) / f"views-{size}.db")))


def step_insert_rows(size: str, folder: str) -> float:
    """sqlite3 alone inserting the rows the rebuild (``step_rebuild``) wrote, then indexing
    them: what writing the views costs before any deriving (SQLite has one writer)."""
    from bench.bench_views import raw_insert

    return raw_insert(str(Path(folder) / f"views-{size}.db"), str(Path(folder) / "rows.db"))


def step_scan(size: str) -> float:
    from bench.fixtures import ledger_file

    db = sqlite3.connect(ledger_file(int(size)))
    return timed(
        lambda: db.execute(
            "SELECT rowid, originator_id, originator_version, topic, state FROM stored_events "
            "ORDER BY rowid"
        ).fetchall()
    )


def step_pace() -> float:
    """A fixed pure-Python loop: the machine's pace for Python at this moment. On a shared
    host it moved by a third within an hour, and every ratio to a C baseline with it."""

    def spin() -> None:
        total = 0
        for number in range(25_000_000):
            total += number

    return timed(spin)


def step_verify(size: str) -> float:
    from bench.fixtures import ledger_file
    from diplo.domain.integrity.verify import scan
    from diplo.domain.store.opening import open_ledger

    ledger = open_ledger(ledger_file(int(size)))
    started = time.perf_counter()
    result = scan(ledger, keep_leaves=False)
    result.root.hex()
    took = time.perf_counter() - started
    assert not result.problems
    return took


def step_read_sha256(size: str) -> float:
    from bench.fixtures import ledger_file
    from diplo.domain.integrity.verify import PAGE
    from diplo.domain.store.opening import open_ledger

    ledger = open_ledger(ledger_file(int(size)))

    def read_and_hash() -> None:
        after = 0
        while page := ledger.recorder.scan_page(after, PAGE):
            for row in page:
                hashlib.sha256(row[4]).digest()
            after = page[-1][0]

    return timed(read_and_hash)


STEPS = {name[5:]: fn for name, fn in globals().items() if name.startswith("step_")}


# --- the report --------------------------------------------------------------------------


def line(
    label: str, took: float, peak: float, events: int, base: float | None = None, against: str = ""
) -> None:
    ratio = f"  {took / base:5.2f}x {against}" if base else ""
    seconds = f"{took:7.3f}" if took < 1 else f"{took:7.2f}"  # under a second: to the ms
    print(f"  {label:<28} {seconds} s {events / took:9,.0f} ev/s {peak:6.0f} MB{ratio}")


def best(measure: Any, repeat: int = REPEAT) -> tuple[float, float]:
    """The fastest of ``repeat`` runs (each given its number, for a store of its own) and
    the most memory any took: other machines' work slows this one by turns, and the least
    disturbed run is the truest. Each starts once what earlier runs wrote is on disk."""
    runs = []
    for run in range(repeat):
        os.sync()
        runs.append(measure(str(run)))
    return _best(runs)


def _best(runs: list[tuple[float, float]]) -> tuple[float, float]:
    return min(took for took, _ in runs), max(peak for _, peak in runs)


def imports(events: int, folder: str) -> None:
    from tests.generate import generate

    source = Path(folder) / "events.jsonl"
    source.write_text("".join(json.dumps(body) + "\n" for body in generate(events)))
    store = f"{folder}/bulk.db"
    # Raw sqlite3 inserts the rows of the first import; each later import runs right after a
    # raw insert, so that a pair shares the machine's pace of the moment (it drifts by tens of
    # percent on a shared host, run to run): the median of the pairs' ratios is the steady one.
    bulks = [child("import", str(source), f"{store}0", "bulk")]
    raws = []
    for run in range(REPEAT):
        os.sync()
        raws.append(child("raw", f"{store}0", f"{folder}/raw{run}.db"))
        if run:
            os.sync()
            bulks.append(child("import", str(source), f"{store}{run}", "bulk"))
    pairs = [b[0] / r[0] for b, r in zip(bulks, raws, strict=True)]
    bulk, raw = _best(bulks), _best(raws)
    store += "0"  # what the baselines below insert: the first import's rows
    single = child("import", str(source), f"{folder}/single.db", "single")
    validate = best(lambda run: child("validate", str(source)))
    recorder = best(lambda run: child("recorder", store, f"{folder}/recorder{run}.db"))
    print(
        f"import of {events:,} generated events into SQLite (best of {REPEAT}; "
        "peak memory per process)"
    )
    line("raw sqlite3 executemany", *raw, events)
    line("diplo recorder alone", *recorder, events, raw[0], "raw sqlite3")
    line("read + validate input", *validate, events, raw[0], "raw sqlite3")
    line("diplo import (bulk)", *bulk, events, raw[0], "raw sqlite3")
    print(
        f"  {'':<28} in pairs run back to back: median {statistics.median(pairs):5.2f}x "
        f"raw sqlite3 ({', '.join(f'{r:.2f}' for r in pairs)})"
    )
    print(
        f"  {'':<28} bulk/recorder alone {bulk[0] / recorder[0]:5.2f}x, "
        f"bulk/validate {bulk[0] / validate[0]:5.2f}x"
    )
    line("single-record path", *single, events, bulk[0], "bulk")
    try:
        import psycopg

        schemas = [f"bench_{uuid.uuid4().hex[:8]}" for _ in range(REPEAT)]
        try:  # the best of three too, as the SQLite figure it is set against
            pg = best(
                lambda run: child("import", str(source), f"{PG}?schema={schemas[int(run)]}", "bulk")
            )
            line("diplo import, PostgreSQL", *pg, events, bulk[0], "SQLite bulk")
        finally:
            with psycopg.connect(PG, autocommit=True) as conn:
                for schema in schemas:
                    conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    except Exception as error:  # noqa: BLE001 - a benchmark reports, it does not fail
        print(f"  PostgreSQL skipped: {error}")


def views_and_verify(small: int, large: int, folder: str) -> None:
    print(f"views and verify over generated ledgers of {small:,} and {large:,} events")
    for state, after in (("rebuilt", "a rebuild"), ("settled", "catch-ups")):
        for size in (small, large):
            child("behind", str(size), state)
        near = child("catch_up", str(small), folder, state)
        far = child("catch_up", str(large), folder, state)
        print(f"  catch-up of the last 1,000 events, right after {after}:")
        line(f"  on {small:,}", *near, 1000)
        line(f"  on {large:,}", *far, 1000, near[0], f"on {small:,}")
    scan = child("scan", str(large))
    line(f"raw scan of {large:,}", *scan, large)
    rebuilt = child("rebuild", str(large), folder)
    line(f"rebuild of {large:,}", *rebuilt, large, scan[0], "raw scan")
    rows = child("insert_rows", str(large), folder)
    line("sqlite3 inserting its rows", *rows, large)
    print(f"  {'':<28} rebuild/sqlite3 inserting its rows {rebuilt[0] / rows[0]:5.2f}x")
    base = child("read_sha256", str(large))
    line(f"read + sha256 of {large:,}", *base, large)
    line(f"verify of {large:,}", *child("verify", str(large)), large, base[0], "read + sha256")
    flat = child("verify", str(small))
    line(f"verify of {small:,}", *flat, small)


def main(events: int, small: int, large: int) -> None:
    before = child("pace")[0]
    with tempfile.TemporaryDirectory() as folder:
        imports(events, folder)
        views_and_verify(small, large, folder)
    print(
        f"Python's pace (a fixed pure-Python loop): {before:.2f} s at the start, "
        f"{child('pace')[0]:.2f} s at the end"
    )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--step"]:
        print(json.dumps([STEPS[sys.argv[2]](*sys.argv[3:]), own_peak()]))
    else:
        sizes = [int(arg) for arg in sys.argv[1:4]] or [20_000]
        count = sizes[0]
        small, large = sizes[1:3] if len(sizes) == 3 else (max(count // 10, 2000), count)
        if min(small, large) <= 1000:  # the catch-ups start from views 1,000 events behind
            sys.exit(
                "bench_all: the ledgers' sizes must be over 1,000 (their last 1,000 events "
                f"are caught up): {small:,} and {large:,} given"
            )
        main(count, small, large)
