"""A catch-up killed mid-way (SIGKILL) loses nothing and repeats nothing on the next update."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from diplo.domain.store.opening import open_ledger
from diplo.events.catalog import parse_fact
from diplo.projections.runner import rebuild, update
from diplo.projections.views import Views
from tests.generate import generate
from tests.projections.helpers import dump

pytestmark = pytest.mark.slow  # catch-ups killed with SIGKILL

CATCH_UP = textwrap.dedent("""
    import sys
    from diplo.domain.store.opening import open_ledger
    from diplo.projections.runner import update
    from diplo.projections.views import Views
    ledger = open_ledger(sys.argv[1])
    views = Views(sys.argv[2])
    def told(done, total):
        print(done, flush=True)
    update(ledger, views, chunk=50, progress=told)
""")


def test_a_killed_catch_up_resumes_to_the_same_rows_as_a_rebuild(tmp_path: Path) -> None:
    store, views = str(tmp_path / "ledger.db"), str(tmp_path / "ledger.views.db")
    ledger = open_ledger(store, create=True)
    ledger.record(
        [(str(i), parse_fact(b)) for i, b in enumerate(generate(3000))], recorded_by="crash test"
    )
    ledger.close()
    Views(views).close()
    runner = subprocess.Popen(
        [sys.executable, "-c", CATCH_UP, store, views],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).parents[2],
    )
    assert runner.stdout is not None
    for _ in range(5):  # let a few chunks commit, then kill it in the middle of the next ones
        runner.stdout.readline()
    runner.send_signal(signal.SIGKILL)
    runner.wait()
    interrupted = Views(views)
    position = interrupted.max_tracking_id() or 0
    assert 0 < position < 3000, "the kill should land mid catch-up"
    ledger = open_ledger(store)
    update(ledger, interrupted)
    interrupted.close()
    rebuilt = str(tmp_path / "rebuilt.db")
    rebuild(ledger, rebuilt)
    ledger.close()
    assert dump(rebuilt) == dump(views)
    assert json.dumps(dump(views)["_tracking"]) == json.dumps([["diplo", 3000]])
