"""Start-up benchmark: how long the read commands take on the demo ledger, as a ratio to
`python -c pass` (the same interpreter, the same environment), measured in one run.

Each command runs once to warm the caches (compiled modules, the views brought up to date),
then every command runs in turn, round after round, so a busy machine slows all of them
alike. The figures are the median wall time of each, divided by the median of `python -c pass`
(the goal: at most 6x), and the same for the CPU time the process used, which a busy machine
disturbs less. Usage: python -m bench.bench_startup [ROUNDS]
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GOAL = 6.0
# As a user runs diplo: with the compiled modules cached (an environment that forbids writing
# them would time compiling diplo's sources on every run instead).
ENV = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


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


def timed(command: list[str]) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one run of ``command``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, capture_output=True, check=True, env=ENV)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main(rounds: int) -> None:
    diplo = str(Path(sys.executable).with_name("diplo"))
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run([diplo, "demo", "--out", folder], capture_output=True, check=True, env=ENV)
        commanded = commands(diplo, f"{folder}/ledger.db")
        for command in commanded.values():
            timed(command)  # warm
        runs: dict[str, list[tuple[float, float]]] = {label: [] for label in commanded}
        for _ in range(rounds):
            for label, command in commanded.items():
                runs[label].append(timed(command))
    wall = {label: statistics.median(w for w, _ in times) for label, times in runs.items()}
    cpu = {label: statistics.median(c for _, c in times) for label, times in runs.items()}
    print(f"start-up on the demo ledger (median of {rounds}; goal <= {GOAL:.0f}x python -c pass)")
    print(f"  {'':<26} {'wall':>7}  {'ratio':>6}  {'cpu':>7}  {'ratio':>6}")
    for label in commanded:
        ratio = wall[label] / wall["python -c pass"]
        mark = "" if ratio <= GOAL else "  over the goal"
        print(
            f"  {label:<26} {wall[label] * 1000:5.0f} ms  {ratio:5.1f}x  "
            f"{cpu[label] * 1000:5.0f} ms  {cpu[label] / cpu['python -c pass']:5.1f}x{mark}"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
