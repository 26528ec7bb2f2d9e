"""Ledgers of generated events for benchmarks, built once and reused (they take minutes)."""

from __future__ import annotations

import os
import sqlite3
import time
import uuid
from pathlib import Path

from diplo.domain.store.interface import KeyedStoredEvent
from diplo.domain.store.opening import open_ledger
from diplo.events.catalog import parse_fact
from tests.generate import generate

CACHE = Path(os.environ.get("DIPLO_BENCH_DIR", "/tmp/diplo-bench"))
BATCH = 10_000


def ledger_file(events: int) -> str:
    """A SQLite ledger holding ``events`` generated events (cached across runs)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"ledger-{events}.db"
    done = CACHE / f"ledger-{events}.done"
    if done.exists():
        return str(path)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    ledger = open_ledger(str(path), create=True)
    started, batch = time.perf_counter(), []
    for number, body in enumerate(generate(events), 1):
        batch.append((str(number), parse_fact(body)))
        if len(batch) == BATCH or number == events:
            ledger.record(batch, recorded_by="bench")
            batch = []
            print(f"  built {number:,} events ({time.perf_counter() - started:.0f} s)", flush=True)
    ledger.close()
    done.touch()
    return str(path)


def stored_events(source: str) -> list[KeyedStoredEvent]:
    """Every stored event of the ledger at ``source``, ready-made for a recorder (what the
    "recorder alone" baselines insert)."""
    rows = sqlite3.connect(source).execute(
        "SELECT originator_id, originator_version, topic, state, key, content_hash "
        "FROM stored_events ORDER BY rowid"
    )
    return [
        KeyedStoredEvent(
            originator_id=uuid.UUID(r[0]),
            originator_version=r[1],
            topic=r[2],
            state=r[3],
            key=r[4],
            content_hash=r[5],
        )
        for r in rows
    ]
