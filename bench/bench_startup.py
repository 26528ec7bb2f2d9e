"""Start-up benchmark: how long the read commands take on the demo ledger, as a ratio to
`python -c pass` (the same interpreter, the same environment), measured in one run.

Each command runs once to warm the caches (and bring the views up to date), then every command
runs in turn, round after round, so a busy machine slows all of them alike; the figure is the
median wall time of each, divided by the median of `python -c pass`. The goal is at most 6x.
Usage: python -m bench.bench_startup [ROUNDS]
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GOAL = 6.0


def commands(diplo: str, store: str) -> dict[str, list[str]]:
    """What is timed: the read commands, and the help a clerk asks for."""
    on = ["--store", store]
    return {
        "python -c pass": [sys.executable, "-c", "pass"],
        "diplo --help": [diplo, "--help"],
        "diplo record TYPE --help": [diplo, "record", "MeetingHeld", "--help"],
        "diplo log": [diplo, "log", *on],
        "diplo log --format json": [diplo, "log", "--format", "json", *on],
        "diplo show KEY": [diplo, "show", "uza-676233/project/samarkand-clinic", *on],
        "diplo report partnership": [diplo, "report", "partnership", "JP", "UZ", *on],
        "diplo report grants": [diplo, "report", "grants", *on],
        "diplo verify": [diplo, "verify", *on],
    }


def wall(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, capture_output=True, check=True)
    return time.perf_counter() - started


def main(rounds: int) -> None:
    diplo = str(Path(sys.executable).with_name("diplo"))
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run([diplo, "demo", "--out", folder], capture_output=True, check=True)
        timed = commands(diplo, f"{folder}/ledger.db")
        for command in timed.values():
            wall(command)  # warm: file caches, compiled modules, views up to date
        runs: dict[str, list[float]] = {label: [] for label in timed}
        for _ in range(rounds):
            for label, command in timed.items():
                runs[label].append(wall(command))
    medians = {label: statistics.median(times) for label, times in runs.items()}
    nothing = medians.pop("python -c pass")
    print(f"start-up on the demo ledger (median of {rounds}; goal <= {GOAL:.0f}x python -c pass)")
    print(f"  {'python -c pass':<26} {nothing * 1000:6.0f} ms")
    for label, took in medians.items():
        ratio = took / nothing
        mark = "" if ratio <= GOAL else "  over the goal"
        print(f"  {label:<26} {took * 1000:6.0f} ms  {ratio:5.1f}x{mark}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
