"""A full disk and a read-only file system give a clear error and no traceback."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import SEED

DIPLO = str(Path(sys.executable).with_name("diplo"))


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 300 KiB file system (tmpfs); needs root, as CI has."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if (
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=300k", "tmpfs", str(mount)], capture_output=True
        ).returncode
        != 0
    ):
        pytest.skip("cannot mount a tmpfs here (needs root)")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def diplo(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([DIPLO, *args], capture_output=True, text=True, timeout=120)


def test_a_full_disk_is_a_clear_error_and_records_nothing(small_disk: Path, tmp_path: Path) -> None:
    store = str(small_disk / "ledger.db")
    assert diplo("init", "--store", store).returncode == 0
    events = tmp_path / "many.jsonl"
    events.write_text(
        SEED.read_text() * 1
        + "".join(
            f'{{"type": "CommitmentStated", "by": "JP", "statement": "{"x" * 3000} {n}", '
            f'"occurred_on": "2025"}}\n'
            for n in range(200)
        )
    )
    result = diplo("import", str(events), "--store", store, "--no-views")
    assert result.returncode == 1
    assert "database or disk is full" in result.stderr and "Traceback" not in result.stderr
    log = diplo("log", "--store", store, "--format", "jsonl")
    assert log.returncode == 0 and log.stdout == ""  # all or nothing: nothing


def test_a_read_only_file_system_is_a_clear_error(small_disk: Path) -> None:
    store = str(small_disk / "ledger.db")
    assert diplo("init", "--store", store).returncode == 0
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    result = diplo("import", str(SEED), "--store", store, "--no-views")
    assert result.returncode == 1
    assert "read-only" in result.stderr and "Traceback" not in result.stderr
