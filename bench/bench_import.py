"""Import benchmark: N generated events through diplo, against baselines in the same run.

1. diplo: read the JSONL, validate, check every rule, append in one transaction (SQLite).
   Then reading and validating alone, the part of it that no store can make faster.
2. plain eventsourcing: the same bodies as events of a minimal aggregate, saved in batches.
3. raw sqlite3: executemany of the rows diplo stored, into an empty table of the same shape.
4. diplo into PostgreSQL (if reachable).
What validating plus plain eventsourcing would take with no rule, hash or index at all bounds
what any import through eventsourcing aggregates can reach; it is printed as a rate.
Then start-up: `diplo --help` and `diplo record --help` against `python -c pass`.
Usage: python -m bench.bench_import 100000
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
from pathlib import Path
from typing import Any

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event

from diplo.cli.inputs import ImportFiles
from diplo.domain.store.opening import open_ledger
from tests.generate import generate

PG = os.environ.get("DIPLO_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")


class Record(Aggregate):
    @event("Recorded")
    def __init__(self, body: dict[str, Any]) -> None:
        self.body = body


def diplo_import(store: str, events: Path) -> float:
    started = time.perf_counter()
    ledger = open_ledger(store, create=True)
    ledger.record(ImportFiles([str(events)]), recorded_by="bench")  # streamed, as the CLI does
    ledger.close()
    return time.perf_counter() - started


def validate_only(events: Path) -> float:
    """The part no store can speed up: read, parse and validate every line."""
    started = time.perf_counter()
    for _ in ImportFiles([str(events)]):
        pass
    return time.perf_counter() - started


def plain_eventsourcing(folder: str, bodies: list[dict[str, Any]]) -> float:
    app: Application[Any] = Application(
        env={"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": f"{folder}/plain.db"}
    )
    started = time.perf_counter()
    for start in range(0, len(bodies), 1000):
        app.save(*[Record(body=body) for body in bodies[start : start + 1000]])
    return time.perf_counter() - started


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
    started = time.perf_counter()
    with db:
        db.executemany("INSERT INTO stored_events VALUES (?,?,?,?,?,?,?)", rows)
    return time.perf_counter() - started


def startup(*command: str) -> float:
    runs = []
    for _ in range(7):
        started = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True)
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def main(count: int) -> None:
    bodies = list(generate(count))
    with tempfile.TemporaryDirectory() as folder:
        events = Path(folder) / "events.jsonl"
        events.write_text("".join(json.dumps(b) + "\n" for b in bodies))
        store = f"{folder}/diplo.db"
        ours = diplo_import(store, events)
        parse = validate_only(events)
        plain = plain_eventsourcing(folder, bodies)
        raw = raw_sqlite(store, f"{folder}/raw.db")
        print(f"import of {count:,} events into SQLite")
        print(f"  diplo               {ours:7.2f} s  {count / ours:9,.0f} events/s")
        print(
            f"  read + validate     {parse:7.2f} s  {count / parse:9,.0f} events/s  "
            f"(part of diplo: {parse / ours:4.0%})"
        )
        print(
            f"  plain eventsourcing {plain:7.2f} s  {count / plain:9,.0f} events/s  "
            f"diplo/plain {ours / plain:5.1f}x"
        )
        print(
            f"  raw sqlite3         {raw:7.2f} s  {count / raw:9,.0f} events/s  "
            f"diplo/raw {ours / raw:5.1f}x"
        )
        floor = parse + plain
        print(
            f"  bound: validate + plain eventsourcing, nothing else: {count / floor:,.0f} "
            f"events/s ({floor / raw:.1f}x raw sqlite3)"
        )
        try:
            schema = f"bench_{uuid.uuid4().hex[:8]}"
            pg = diplo_import(f"{PG}?schema={schema}", events)
            print(f"  diplo into PostgreSQL {pg:5.2f} s  {count / pg:9,.0f} events/s")
            import psycopg

            with psycopg.connect(PG, autocommit=True) as conn:
                conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
        except Exception as error:  # noqa: BLE001 - a benchmark reports, it does not fail
            print(f"  PostgreSQL skipped: {error}")
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
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
