"""A writer that finds the ledger busy says it is waiting, then records once it is free."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from diplo.domain.store.opening import open_ledger
from tests.conftest import ORG, write_jsonl

DIPLO = Path(sys.executable).with_name("diplo")
pytestmark = pytest.mark.slow  # processes waiting for each other


def test_a_writer_queued_behind_another_says_so_then_records(
    any_store: str, tmp_path: Path
) -> None:
    events = write_jsonl(tmp_path / "org.jsonl", ORG)
    holder = open_ledger(any_store)
    with holder.writer_lock():  # another writer, in the middle of a long import
        clerk = subprocess.Popen(
            [str(DIPLO), "import", events, "--store", any_store, "--no-views"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert clerk.stderr is not None
        notice = clerk.stderr.readline()  # blocks until the clerk says something
        time.sleep(0.2)
        assert clerk.poll() is None, "it must wait while the other writer holds the ledger"
        assert holder.head() == 0
    out, err = clerk.communicate(timeout=60)
    holder.close()
    assert notice == "waiting for another writer to finish…\n"
    assert clerk.returncode == 0, err
    assert "recorded 1 new" in out
    assert open_ledger(any_store).head() == 1


def test_a_writer_that_finds_the_ledger_free_says_nothing_of_waiting(
    store: str, tmp_path: Path
) -> None:
    events = write_jsonl(tmp_path / "org.jsonl", ORG)
    done = subprocess.run(
        [str(DIPLO), "import", events, "--store", store, "--no-views"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, "")
