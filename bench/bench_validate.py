"""Reading + validating an import against raw sqlite3, in one process, rounds interleaved.

The part of `diplo import` no store can make faster is reading and validating its input; the
goal is that it costs about what sqlite3 alone takes to insert the rows it becomes (issue 12).
The machine is shared, so each round times both, and the medians of the rounds are compared:
1. raw sqlite3: executemany of the rows diplo stored for these events (bench_import.raw_sqlite);
2. read + validate: `ImportFiles` over the file, as `diplo import` reads it;
3. the careful way alone: every line read by the standard library's JSON reader and validated
   by the models' own validators (what every line took before plain lines went the quick way;
   what a line with non-ASCII text or a refusal still takes).
Usage: python -m bench.bench_validate [EVENTS [ROUNDS]]   (default 20,000 events, 5 rounds)
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.bench_import import raw_sqlite, validate_only
from diplo.cli.inputs import ImportFiles
from diplo.domain.store.opening import open_ledger
from diplo.events.catalog import parse_fact
from diplo.events.jsonl import parse_line
from tests.generate import generate


def careful_only(events: Path) -> float:
    """Every line the careful way: json with its hooks, NFC, the model's own validator."""
    started = time.perf_counter()
    with events.open("rb") as stream:
        for raw in stream:
            parse_fact(parse_line(raw))
    return time.perf_counter() - started


def rounds(steps: dict[str, Callable[[int], float]], count: int) -> dict[str, float]:
    """The median of each step over ``count`` rounds, the steps taking turns."""
    times: dict[str, list[float]] = {name: [] for name in steps}
    for round_ in range(count):
        for name, step in steps.items():
            times[name].append(step(round_))
    return {name: statistics.median(taken) for name, taken in times.items()}


def main(count: int, repeat: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        events = Path(folder) / "events.jsonl"
        events.write_text("".join(json.dumps(body) + "\n" for body in generate(count)))
        store = f"{folder}/diplo.db"
        ledger = open_ledger(store, create=True)
        ledger.record(ImportFiles([str(events)]), recorded_by="bench")  # the rows, and warm-up
        ledger.close()
        took = rounds(
            {
                "raw sqlite3 executemany": lambda n: raw_sqlite(store, f"{folder}/raw-{n}.db"),
                "read + validate (import)": lambda _: validate_only(events),
                "careful way, every line": lambda _: careful_only(events),
            },
            repeat,
        )
    raw = took["raw sqlite3 executemany"]
    print(f"read + validate {count:,} generated events, median of {repeat} interleaved rounds")
    for name, seconds in took.items():
        print(
            f"  {name:<26} {seconds:6.3f} s {count / seconds:9,.0f} ev/s  {seconds / raw:5.2f}x raw"
        )


if __name__ == "__main__":
    main(
        int(sys.argv[1]) if len(sys.argv) > 1 else 20_000,
        int(sys.argv[2]) if len(sys.argv) > 2 else 5,
    )
