"""What sqlite3 costs to bind ``None`` and ``bytes``, with and without diplo's adapter for
None (``domain.store.adapters``), against the same rows with strings in their place (for
bytes, of the same text: an adapter for them measured no faster, and none is registered).

Rows shaped as a rebuild's (seven cells, four of them None) and as the recorder's (a record
of bytes) are inserted by ``executemany`` into an in-memory table, rounds interleaved, each
figure the median of the rounds. On CPython 3.11 each None costs a formatted and discarded
AttributeError unless an adapter is registered; from 3.12, about nothing.
Usage: python -m bench.bench_binding [ROWS [ROUNDS]]   (default 200,000 rows, 5 rounds)
"""

from __future__ import annotations

import sqlite3
import statistics
import sys
import time
from typing import Any

from diplo.domain.store.adapters import bind_plainly

SHAPES = {
    "None cells": lambda i: (i, "key", None, None, "text", None, None),
    "a bytes record": lambda i: (i, "key", b"{...}" * 120, "t", "text", "x", "y"),
}


def plain(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """The baseline's row: each None a one-letter string, bytes the same text as a string."""
    return tuple("n" if v is None else v.decode() if isinstance(v, bytes) else v for v in row)


def insert(rows: list[Any]) -> float:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE t (a, b, c, d, e, f, g)")
    started = time.perf_counter()
    db.executemany("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
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


if __name__ == "__main__":
    arguments = [int(a) for a in sys.argv[1:3]]
    run(*(arguments + [200_000, 5][len(arguments) :]))
