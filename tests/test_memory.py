"""`diplo import` streams its file: peak memory does not grow with the number of events."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.generate import generate

pytestmark = pytest.mark.slow  # imports of many events, measuring peak memory

DIPLO = Path(sys.executable).with_name("diplo")
SMALL, LARGE = 5_000, 40_000
# Holding every event would cost several KiB each (about 230 MB more for the large file);
# what a streaming import may add is its bounded caches filling up.
ALLOWED_GROWTH_MB = 20


# Runs diplo's command line in a fresh interpreter and, at its exit, writes its own peak
# resident memory: VmHWM counts from the exec on, where the ru_maxrss of ``wait4`` keeps the
# peak of the process that spawned it (here pytest, some 70 MB, which hid any growth below
# that); and the largest of the processes it waited for (an import's reader).
PROBE = """
import atexit, resource, sys

def peak():
    with open("/proc/self/status") as status:
        own = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    helpers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    with open(report, "w") as out:
        out.write(str(max(own, helpers)))

report = sys.argv.pop(1)
sys.argv[0] = "diplo"
atexit.register(peak)
from diplo.cli.main import run
run()
"""


def peak_memory_mb(*args: str) -> float:
    """Run diplo in a child process; the child's own peak resident memory, in MB (Linux)."""
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "peak"
        command = [sys.executable, "-c", PROBE, str(report), *args]
        process = subprocess.run(command, stdout=subprocess.DEVNULL, check=False)
        assert process.returncode == 0, f"diplo {' '.join(args)} exited {process.returncode}"
        return int(report.read_text()) / 1024  # kilobytes


def assert_flat(stores: dict[int, str], allowed_mb: float, *command: str) -> None:
    """``diplo COMMAND --store S`` peaks no higher on the largest ledger of ``stores`` (keyed
    by its size) than on the smallest, but for ``allowed_mb``. ``{head}`` in the command is
    the ledger's size (its last position)."""
    peaks = {
        size: peak_memory_mb(*[c.format(head=size) for c in command], "--store", store)
        for size, store in stores.items()
    }
    small, large = min(peaks), max(peaks)
    assert peaks[large] - peaks[small] < allowed_mb, (
        f"{' '.join(command)}: {small:,}: {peaks[small]:.0f} MB, {large:,}: {peaks[large]:.0f} MB"
    )


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
