"""The rebuild's writer process turns SQLite's memory statistics off before it writes.

It shuts the library down to configure it, so it is tried in a process of its own, as the
writer is one."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

PROBE = textwrap.dedent(
    """
    import ctypes, sqlite3
    from diplo.projections.writer import _without_memory_statistics, loaded_sqlite_library
    path = loaded_sqlite_library()
    if path is None:
        print("no library")
        raise SystemExit
    turned_off = _without_memory_statistics()
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE t (a, b)")
    db.executemany("INSERT INTO t VALUES (?, ?)", [(n, "x" * n) for n in range(1000)])
    counted = ctypes.CDLL(path).sqlite3_memory_used()
    print(turned_off, counted, db.execute("SELECT count(*), sum(length(b)) FROM t").fetchone())
    """
)


def _probe() -> str:
    return subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True
    ).stdout.strip()


def test_the_writer_process_counts_no_memory_and_still_writes() -> None:
    told = _probe()
    if told == "no library":
        pytest.skip("sqlite3 is linked into Python here: nothing to configure")
    assert told == "True 0 (1000, 499500)"
