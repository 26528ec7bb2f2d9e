"""Import benchmark: N generated events through diplo, against baselines in the same run.

1. diplo import: read the JSONL, validate, check every rule, append in one transaction
   (SQLite), as `diplo import --no-views` does: a second process reads ahead (domain.app.ahead).
   Then its two halves alone, in this process: the reader (read, validate, prepare: stamps,
   canonical bytes, content hash, stream ids), reading and validating alone within it, and
   the writer (rules, hash chain, mapper, recorder) given the facts prepared beforehand.
2. diplo's recorder alone: the stored events of (1), ready-made, inserted by eventsourcing's
   recorder with the key column and hash chain (what any write path must at least pay).
3. raw sqlite3: executemany of the rows diplo stored, into an empty table of the same shape.
4. the views update that `diplo import` runs after recording (unless --no-views).
5. plain eventsourcing: the same bodies as events of a minimal aggregate, saved in batches.
6. the same import and writer into PostgreSQL (if reachable).
Building the aggregates' classes (eventsourcing makes their event classes at import) and
pydantic's validators is paid once per process: it is done before the clocks start, and
printed on its own. Then start-up: `diplo --help` and `diplo record --help`.
Each figure is the best of REPEAT runs (default 3): other processes share the cores. The import
against raw sqlite3 is also measured in REPEAT pairs run back to back (their median ratio).
Usage: python -m bench.bench_import [EVENTS [REPEAT]] [--cpu]  (default 100000 3, wall time)
"""

from __future__ import annotations

import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event

from bench.fixtures import stored_events
from diplo.cli.inputs import ImportFiles
from diplo.domain.app.ahead import ReadAhead
from diplo.domain.app.prepared import Prepared, Sent, prepare
from diplo.domain.store.opening import open_ledger
from tests.generate import generate

# Wall time, or with --cpu this process's CPU time: on cores other processes share, CPU time
# is what the code costs (it leaves out waiting for the disk, and PostgreSQL's server work,
# so PostgreSQL figures are always wall time).
clock = time.perf_counter

PG = os.environ.get("DIPLO_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")


class Record(Aggregate):
    @event("Recorded")
    def __init__(self, body: dict[str, Any]) -> None:
        self.body = body


def diplo_import(store: str, events: Path) -> float:
    started = clock()
    ledger = open_ledger(store, create=True)
    with ReadAhead(ImportFiles([str(events)]), "bench") as facts:  # read in a second process
        ledger.record(facts, recorded_by="bench")  # streamed, as the CLI does
    ledger.close()
    return clock() - started


def validate_only(events: Path) -> float:
    """The part no store can speed up: read, parse and validate every line."""
    started = clock()
    for _ in ImportFiles([str(events)]):
        pass
    return clock() - started


def reader_alone(events: Path) -> float:
    """The reader's half of an import: read, validate and prepare every line."""
    started = clock()
    for where, fact in ImportFiles([str(events)]):
        prepare(where, fact, "bench")
    return clock() - started


def write_path(store: str, sent: list[Sent]) -> float:
    """The writer's half: Ledger.record of facts as the reader sends them (prepared
    beforehand), each made a ``Prepared`` as it is taken, as ReadAhead does."""
    ledger = open_ledger(store, create=True)
    started = clock()
    ledger.record(((s[0], Prepared(s)) for s in sent), recorded_by="bench")
    took = clock() - started
    ledger.close()
    return took


def recorder_alone(source: str, store: str) -> float:
    """The stored events of ``source``, ready-made, through diplo's recorder alone."""
    stored = stored_events(source)
    ledger = open_ledger(store, create=True)
    started = clock()
    with ledger.recorder.session():
        ledger.recorder.insert_events(stored)
    took = clock() - started
    ledger.close()
    return took


def views_update(store: str, views: str) -> float:
    """What `diplo import` does after recording: bring the views (a new file) up to date."""
    from diplo.projections.runner import open_views

    ledger = open_ledger(store)
    started = clock()
    open_views(ledger, views).close()
    took = clock() - started
    ledger.close()
    return took


def warm_up(events: Path) -> float:
    """Pay once-per-process costs before the clocks start: pydantic's validators (built on
    first use) and the aggregates' event classes (built at import). Returns their time."""
    from itertools import islice

    started = clock()
    for _ in islice(ImportFiles([str(events)]), 2000):
        pass
    import diplo.domain.app.batch  # noqa: F401 - the aggregates, built for writers only

    return clock() - started


def plain_eventsourcing(folder: str, bodies: list[dict[str, Any]]) -> float:
    app: Application[Any] = Application(
        env={"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": f"{folder}/plain.db"}
    )
    started = clock()
    for start in range(0, len(bodies), 1000):
        app.save(*[Record(body=body) for body in bodies[start : start + 1000]])
    return clock() - started


def raw_sqlite(store: str, target: str) -> float:
    """The baseline: the same rows, columns and indexes, inserted by sqlite3 alone into
    ``target`` in one transaction (bench_all takes it from here too)."""
    rows = (
        sqlite3.connect(store)
        .execute(
            "SELECT originator_id, originator_version, topic, state, key, content_hash, chain "
            "FROM stored_events ORDER BY rowid"
        )
        .fetchall()
    )
    db = sqlite3.connect(target)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute(
        "CREATE TABLE stored_events (originator_id TEXT, originator_version INTEGER, "
        "topic TEXT, state BLOB, key TEXT, content_hash TEXT, chain TEXT, "
        "PRIMARY KEY (originator_id, originator_version))"
    )
    db.execute("CREATE UNIQUE INDEX k ON stored_events (key)")
    started = clock()
    with db:
        db.executemany("INSERT INTO stored_events VALUES (?,?,?,?,?,?,?)", rows)
    return clock() - started


def startup(*command: str) -> float:
    runs = []
    for _ in range(7):
        started = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True)
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def rate(label: str, took: float, count: int, note: str = "") -> None:
    print(f"  {label:<26} {took:7.2f} s  {count / took:9,.0f} events/s  {note}")


def best(repeat: int, measure: Callable[[str], float]) -> float:
    """The fastest of ``repeat`` runs, each into a store of its own (a suffix for its name):
    other processes share this machine's cores, and the least disturbed run is the truest."""
    return min(settled(measure, str(run)) for run in range(repeat))


def settled(measure: Callable[[str], float], run: str) -> float:
    """``measure(run)`` once what earlier runs wrote is on disk: else the system's writing
    it back would slow whichever run came next (raw sqlite3's most: it is mostly writing)."""
    os.sync()
    return measure(run)


def paired(repeat: int, folder: str, events: Path) -> list[float]:
    """The import's time over raw sqlite3's, each pair run back to back: on cores that other
    machines' work slows by turns, two figures measured minutes apart (the best of each
    above) can meet different weather, two measured together mostly the same."""
    ratios = []
    for run in range(repeat):
        store = f"{folder}/paired{run}.db"
        ours = settled(lambda name: diplo_import(name, events), store)
        raw = settled(partial(raw_sqlite, store), f"{folder}/paired-raw{run}.db")
        ratios.append(ours / raw)
    return ratios


def main(count: int, repeat: int = 3) -> None:
    bodies = list(generate(count))
    with tempfile.TemporaryDirectory() as folder:
        events = Path(folder) / "events.jsonl"
        events.write_text("".join(json.dumps(b) + "\n" for b in bodies))
        once = warm_up(events)
        store = f"{folder}/diplo.db"
        ours = best(repeat, lambda run: diplo_import(f"{store}{run}", events))
        store += "0"
        parse = best(repeat, lambda run: validate_only(events))
        reader = best(repeat, lambda run: reader_alone(events))
        sent = [prepare(where, fact, "bench") for where, fact in ImportFiles([str(events)])]
        write = best(repeat, lambda run: write_path(f"{folder}/write{run}.db", sent))
        recorder = best(repeat, lambda run: recorder_alone(store, f"{folder}/recorder{run}.db"))
        raw = best(repeat, lambda run: raw_sqlite(store, f"{folder}/raw{run}.db"))
        views = best(repeat, lambda run: views_update(store, f"{folder}/views{run}.db"))
        plain = plain_eventsourcing(folder, bodies)
        print(f"import of {count:,} events into SQLite (one-off per process: {once:.2f} s)")
        rate("raw sqlite3", raw, count)
        rate("diplo recorder alone", recorder, count, f"{recorder / raw:5.2f}x raw sqlite3")
        rate("read + validate", parse, count, f"{parse / raw:5.2f}x raw sqlite3")
        rate("reader (+ prepare)", reader, count, f"{reader / raw:5.2f}x raw sqlite3")
        rate(
            "writer (prepared)",
            write,
            count,
            f"{write / raw:5.2f}x raw sqlite3, {write / recorder:5.2f}x recorder alone",
        )
        rate("diplo import", ours, count, f"{ours / raw:5.2f}x raw sqlite3")
        pairs = paired(repeat, folder, events)
        print(
            f"  {'':<26} in pairs run back to back: median {statistics.median(pairs):5.2f}x raw "
            f"sqlite3 ({', '.join(f'{r:.2f}' for r in pairs)})"
        )
        rate("views update after it", views, count, f"{views / ours:5.2f}x the import")
        rate("plain eventsourcing", plain, count, f"diplo/plain {ours / plain:5.2f}x")
        floor = parse + plain
        print(
            f"  bound: validate + plain eventsourcing, nothing else: {count / floor:,.0f} "
            f"events/s ({floor / raw:.1f}x raw sqlite3)"
        )
        global clock
        clock, cpu = time.perf_counter, clock
        try:
            import psycopg

            schemas = [f"bench_{uuid.uuid4().hex[:8]}" for _ in range(2 * repeat)]
            pg = best(repeat, lambda run: diplo_import(f"{PG}?schema={schemas[int(run)]}", events))
            pg_write = best(
                repeat, lambda run: write_path(f"{PG}?schema={schemas[repeat + int(run)]}", sent)
            )
            wall = cpu is time.perf_counter  # else SQLite's CPU time is no yardstick
            rate("diplo import, PostgreSQL", pg, count, f"{pg / ours:5.2f}x SQLite" * wall)
            against = f"{pg_write / write:5.2f}x SQLite" * wall
            rate("writer, PostgreSQL", pg_write, count, against)
            with psycopg.connect(PG, autocommit=True) as conn:
                for schema in schemas:
                    conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
        except Exception as error:  # noqa: BLE001 - a benchmark reports, it does not fail
            print(f"  PostgreSQL skipped: {error}")
        clock = cpu
    diplo = str(Path(sys.executable).with_name("diplo"))
    nothing = startup(sys.executable, "-c", "pass")
    print("start-up (median of 7)")
    print(f"  python -c pass      {nothing * 1000:6.0f} ms")
    for label, command in (
        ("diplo --help", [diplo, "--help"]),
        ("diplo record --help", [diplo, "record", "MeetingHeld", "--help"]),
    ):
        took = startup(*command)
        print(f"  {label:<19} {took * 1000:6.0f} ms  ({took / nothing:4.1f}x python -c pass)")


if __name__ == "__main__":
    if "--cpu" in sys.argv:
        sys.argv.remove("--cpu")
        clock = time.process_time
    main(*(int(arg) for arg in sys.argv[1:3])) if len(sys.argv) > 1 else main(100_000)
