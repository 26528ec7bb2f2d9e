"""`diplo import` streams its file: peak memory does not grow with the number of events."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.generate import generate

pytestmark = pytest.mark.slow  # imports of many events, measuring peak memory

DIPLO = Path(sys.executable).with_name("diplo")
SMALL, LARGE = 5_000, 40_000
# Holding every event would cost several KiB each (about 230 MB more for the large file);
# what a streaming import may add is its bounded caches filling up.
ALLOWED_GROWTH_MB = 20


def peak_memory_mb(*args: str) -> float:
    """Run diplo in a child process; the child's own peak resident memory, in MB."""
    process = subprocess.Popen([str(DIPLO), *args], stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    assert process.returncode == 0, f"diplo {' '.join(args)} exited {process.returncode}"
    return usage.ru_maxrss / 1024  # kilobytes on Linux


def import_peak_mb(tmp_path: Path, events: int) -> float:
    source = tmp_path / f"{events}.jsonl"
    with source.open("w") as out:
        out.writelines(json.dumps(body) + "\n" for body in generate(events))
    store = str(tmp_path / f"ledger-{events}.db")
    subprocess.run([str(DIPLO), "init", "--store", store], check=True, capture_output=True)
    return peak_memory_mb("import", str(source), "--store", store)


def test_importing_eight_times_more_events_takes_no_more_memory(tmp_path: Path) -> None:
    small = import_peak_mb(tmp_path, SMALL)
    large = import_peak_mb(tmp_path, LARGE)
    assert large - small < ALLOWED_GROWTH_MB, (
        f"{SMALL:,}: {small:.0f} MB, {LARGE:,}: {large:.0f} MB"
    )
