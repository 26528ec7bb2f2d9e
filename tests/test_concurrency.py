"""Eight processes write to one ledger at once: nothing lost, nothing doubled, no gaps."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from diplo.domain.integrity.verify import scan
from diplo.domain.store.opening import open_ledger
from diplo.events.catalog import parse_fact
from diplo.projections.runner import rebuild, update
from diplo.projections.views import Views
from tests.conftest import ORG
from tests.projections.helpers import dump

pytestmark = pytest.mark.slow  # processes writing at once

WORKERS, EACH = 8, 500
WORKER = textwrap.dedent("""
    import sys
    from diplo.domain.store.opening import open_ledger
    from diplo.events.catalog import parse_fact
    from diplo.projections.runner import update
    from diplo.projections.views import Views

    store, views_path, worker = sys.argv[1], sys.argv[2], int(sys.argv[3])
    ledger, views = open_ledger(store), Views(views_path)

    def body(i):
        if i % 4 == 0:  # the same two grant streams, appended to by every worker
            return {"type": "EquipmentFunded", "grant": f"shared-{i % 8 // 4}",
                    "occurred_on": "2025", "items": [{"description": f"w{worker} item {i}"}]}
        return {"type": "MeetingHeld", "meeting": f"m-{worker}-{i}", "countries": ["JP", "UZ"],
                "participants": ["moh-uz"], "occurred_on": "2025-03"}

    race = {"type": "CooperationEstablished", "cooperation": "race", "parties": ["JP", "UZ"],
            "field": "identical in every worker", "occurred_on": "2025"}
    for start in range(0, EACH, 5):
        batch = [(str(i), parse_fact(body(i))) for i in range(start, start + 5)]
        if start == 250:
            batch.append(("race", parse_fact(race)))
        ledger.record(batch, recorded_by=f"worker {worker}")
        if start % 100 == 0:
            update(ledger, views)
    update(ledger, views)
    print("done", flush=True)
""").replace("EACH", str(EACH))


def run_workers(store: str, views: str) -> None:
    setup = open_ledger(store)
    grant = {
        "type": "GrantAgreementSigned",
        "donor": "JP",
        "recipient": "moh-uz",
        "purpose": "shared",
        "occurred_on": "2025",
    }
    setup.record(
        [("0", parse_fact(ORG))]
        + [(str(n), parse_fact(grant | {"grant": f"shared-{n}"})) for n in (0, 1)],
        recorded_by="setup",
    )
    setup.close()
    Views(views).close()
    root = Path(__file__).parents[1]
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, store, views, str(w)],
            cwd=root,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for w in range(WORKERS)
    ]
    for worker in workers:
        out, err = worker.communicate(timeout=600)
        assert worker.returncode == 0 and "done" in out, err[-3000:]


def check(store: str, views: str, tmp_path: Path) -> None:
    ledger = open_ledger(store)
    expected = 3 + WORKERS * EACH + 1  # setup, every worker's events, one winner of the race
    assert ledger.head() == expected
    keys = [stored.key for stored in ledger.read()]
    assert len(keys) == len(set(keys)) == expected
    result = scan(ledger)
    assert result.problems == [] and result.size == expected  # gap-free, chain intact
    rebuilt = str(tmp_path / "rebuilt.db")
    rebuild(ledger, rebuilt)
    final = Views(views)
    update(ledger, final)
    final.close()
    assert dump(views) == dump(rebuilt)
    ledger.close()


def test_eight_writers_on_sqlite(store: str, tmp_path: Path) -> None:
    views = str(tmp_path / "views.db")
    run_workers(store, views)
    check(store, views, tmp_path)


def test_eight_writers_on_postgresql(pg_store: str, tmp_path: Path) -> None:
    views = str(tmp_path / "views.db")
    run_workers(pg_store, views)
    check(pg_store, views, tmp_path)
