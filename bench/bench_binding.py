"""What sqlite3 costs to bind ``None`` and ``bytes``, with and without diplo's adapter for
None (``domain.store.adapters``), against the same rows with strings in their place (for
bytes, of the same text: an adapter for them measured no faster, and none is registered).

Rows shaped as a rebuild's (seven cells, four of them None) and as the recorder's (a record
of bytes) are inserted by ``executemany`` into an in-memory table, rounds interleaved, each
figure the median of the rounds. On CPython 3.11 each None costs a formatted and discarded
AttributeError unless an adapter is registered; from 3.12, about nothing.

Then the same rows (the adapter registered), and rows of text as a rebuild's timeline holds,
inserted by a fresh process with SQLite's memory statistics on (its default) and off (as the
rebuild's writer process turns them off: ``writer._without_memory_statistics``), processes
alternating, the median of their best times.
Usage: python -m bench.bench_binding [ROWS [ROUNDS]]   (default 200,000 rows, 5 rounds)
"""

from __future__ import annotations

import sqlite3
import statistics
import subprocess
import sys
import time
from typing import Any

from diplo.domain.store.adapters import bind_plainly

SHAPES = {
    "None cells": lambda i: (i, "key", None, None, "text", None, None),
    "a bytes record": lambda i: (i, "key", b"{...}" * 120, "t", "text", "x", "y"),
}


TEXT_ROW = lambda i: (  # noqa: E731 - as a timeline row: mostly short texts
    f"bench-{i}",
    i,
    "2024-01",
    "2024-01-01",
    "2024-01-31",
    0,
    "month",
    "CommitmentStated",
    "030",
    f"KG: We will continue, statement {i}",
    "KG",
    "2026-11-26T13:44:51.043949+00:00",
    "active",
)


def plain(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """The baseline's row: each None a one-letter string, bytes the same text as a string."""
    return tuple("n" if v is None else v.decode() if isinstance(v, bytes) else v for v in row)


def insert(rows: list[Any]) -> float:
    width = len(rows[0])
    db = sqlite3.connect(":memory:")
    db.execute(f"CREATE TABLE t ({', '.join(f'c{n}' for n in range(width))})")
    started = time.perf_counter()
    db.executemany(f"INSERT INTO t VALUES ({', '.join('?' * width)})", rows)
    return time.perf_counter() - started


def unregister() -> None:
    sqlite3.adapters.pop((type(None), sqlite3.PrepareProtocol), None)


def run(count: int, rounds: int) -> None:
    print(f"binding {count:,} rows of 7 cells, Python {sys.version.split()[0]}, median of {rounds}")
    for shape, make in SHAPES.items():
        rows = [make(i) for i in range(count)]
        strings = [plain(row) for row in rows]
        times: dict[str, list[float]] = {"strings": [], "without": [], "with": []}
        for _ in range(rounds):
            times["strings"].append(insert(strings))
            unregister()
            times["without"].append(insert(rows))
            bind_plainly()
            times["with"].append(insert(rows))
        base, without, with_ = (statistics.median(times[k]) for k in ("strings", "without", "with"))
        print(
            f"  {shape:<15} strings {base:6.3f} s   without adapters {without:6.3f} s "
            f"({without / base:4.2f}x)   with {with_:6.3f} s ({with_ / base:4.2f}x)"
        )


def statistics_child(count: int, off: bool) -> float:
    """In this (fresh) process: memory statistics turned off, or left on; the best of three
    inserts of each shape, summed."""
    if off:
        from diplo.projections.writer import _without_memory_statistics

        if not _without_memory_statistics():
            raise SystemExit("memory statistics cannot be turned off here")
    bind_plainly()
    shapes = [SHAPES["None cells"], TEXT_ROW]
    return sum(min(insert([make(i) for i in range(count)]) for _ in range(3)) for make in shapes)


def memory_statistics(count: int, rounds: int) -> None:
    times: dict[bool, list[float]] = {False: [], True: []}
    for _ in range(rounds):
        for off in (False, True):
            command = [sys.executable, "-m", "bench.bench_binding", "--child", str(count)]
            done = subprocess.run([*command, "off" if off else "on"], capture_output=True)
            if done.returncode:
                print(f"  memory statistics: {done.stderr.decode().strip()}")
                return
            times[off].append(float(done.stdout))
    on, off = statistics.median(times[False]), statistics.median(times[True])
    print(
        f"  memory statistics on {on:6.3f} s   off {off:6.3f} s ({off / on:4.2f}x)   "
        f"(None cells and timeline rows, a fresh process each, median of {rounds})"
    )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        print(statistics_child(int(sys.argv[2]), sys.argv[3] == "off"))
    else:
        arguments = [int(a) for a in sys.argv[1:3]]
        run(*(arguments + [200_000, 5][len(arguments) :]))
        memory_statistics(*(arguments + [200_000, 5][len(arguments) :]))
