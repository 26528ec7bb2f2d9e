"""`diplo import` of 100,000 events killed with SIGKILL: the ledger holds all of it or none of
it, verifies, and running the import again finishes it."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from diplo.domain.integrity.verify import scan
from diplo.domain.store.opening import open_ledger
from tests.generate import generate

EVENTS = 100_000
DIPLO = Path(sys.executable).with_name("diplo")
pytestmark = pytest.mark.slow


@pytest.fixture
def rng() -> random.Random:
    """The random moments of a crash test, from a seed that is printed (shown with a failure),
    so that a failing run can be repeated exactly: ``DIPLO_CRASH_SEED=<seed> pytest …``."""
    seed = int(os.environ.get("DIPLO_CRASH_SEED") or random.randrange(2**32))
    print(f"crash test seed: {seed} (DIPLO_CRASH_SEED={seed} repeats this run)")
    return random.Random(seed)


def start_import(store: str, events: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [str(DIPLO), "import", str(events), "--store", store, "--no-views"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def import_to_completion(store: str, events: Path) -> int:
    """Run the same import again, uninterrupted; its exit code."""
    command = [str(DIPLO), "import", str(events), "--store", store, "--no-views"]
    return subprocess.run(command, capture_output=True, check=False).returncode


def kill_when(process: subprocess.Popen[bytes], ready: object, limit: float = 300) -> bool:
    """SIGKILL ``process`` once ``ready()`` holds; False if it finished first."""
    deadline = time.monotonic() + limit
    while process.poll() is None and time.monotonic() < deadline:
        if ready():  # type: ignore[operator]
            process.send_signal(signal.SIGKILL)
            process.wait()
            return True
        time.sleep(0.02)
    process.wait()
    return False


def write_events(path: Path) -> Path:
    path.write_text("".join(json.dumps(body) + "\n" for body in generate(EVENTS)))
    return path


def all_or_nothing(store: str) -> int:
    ledger = open_ledger(store)
    try:
        head = ledger.head()
        assert head in (0, EVENTS), f"a partial import: {head} events"
        assert scan(ledger).problems == []
        return head
    finally:
        ledger.close()


def test_a_killed_import_leaves_all_or_nothing_and_can_be_rerun(
    store: str, tmp_path: Path, rng: random.Random
) -> None:
    events = write_events(tmp_path / "events.jsonl")
    wal = Path(store + "-wal")

    # 1. killed at a random moment while it reads and checks the file
    started = time.monotonic()
    moment = rng.uniform(0.5, 8.0)
    process = start_import(store, events)

    def reading_for_a_while() -> bool:  # or writing already, on a machine fast enough
        return time.monotonic() - started > moment or (wal.exists() and wal.stat().st_size > 0)

    assert kill_when(process, reading_for_a_while), "the import should not have finished yet"
    assert all_or_nothing(store) == 0

    # 2. killed in the middle of its one transaction (the write-ahead log is filling up)
    process = start_import(store, events)
    killed = kill_when(process, lambda: wal.exists() and wal.stat().st_size > 8 << 20)
    assert killed, "the import should still be writing when the log has grown past 8 MiB"
    assert all_or_nothing(store) == 0  # rolled back: the transaction never committed

    # 3. run again: it finishes, and nothing is doubled
    assert import_to_completion(store, events) == 0
    assert all_or_nothing(store) == EVENTS
    assert os.path.getsize(store) > 0


def test_a_killed_import_into_postgresql_leaves_nothing_and_can_be_rerun(
    pg_store: str, postgres: str, tmp_path: Path, rng: random.Random
) -> None:
    import psycopg

    events = write_events(tmp_path / "events.jsonl")
    schema = pg_store.rsplit("schema=", 1)[1]
    with psycopg.connect(postgres, autocommit=True) as watcher:

        def written() -> int:
            """Bytes the import's open transaction has put into the events table so far: rows
            not yet committed take space all the same, so this measures the import's progress
            however fast the machine runs it."""
            row = watcher.execute(
                "SELECT pg_total_relation_size(c.oid) FROM pg_class c JOIN pg_namespace n "
                "ON n.oid = c.relnamespace WHERE n.nspname = %s AND c.relname = 'ledger_events'",
                (schema,),
            ).fetchone()
            return int(row[0]) if row else 0

        empty = written()
        # once early in its one transaction, once well into it (100,000 events take tens of MiB)
        for mib in (rng.uniform(0.5, 8.0), rng.uniform(8.0, 24.0)):
            threshold = empty + int(mib * (1 << 20))
            killed = kill_when(start_import(pg_store, events), lambda t=threshold: written() > t)
            assert killed, f"the import should still be writing after {mib:.1f} MiB"
            assert all_or_nothing(pg_store) == 0
    assert import_to_completion(pg_store, events) == 0
    assert all_or_nothing(pg_store) == EVENTS
