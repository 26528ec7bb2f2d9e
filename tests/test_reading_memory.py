"""`diplo log`, `diplo export` and `diplo audit` stream: peak memory does not grow with the
number of events, in any format of the log (read from the views' log or, looking back with
`--as-of`, from the ledger itself), of the audit, and of the export in JSON Lines, CAMEO rows
and IATI XML (whose activities wait for their last events in a temporary file, not in
memory)."""

from __future__ import annotations

import json
import subprocess
import tracemalloc
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import pytest

from diplo.domain.app.audit import CORRECTIONS, amendments, trail
from diplo.domain.store import spill
from diplo.domain.store.opening import open_ledger
from diplo.domain.store.topics import topics_among
from diplo.projections.interop import activities
from diplo.projections.interop.activities import gather
from diplo.projections.interop.current import current_events, stored_events
from diplo.projections.plan import Plan
from diplo.projections.runner import corrections_until
from tests.generate import generate
from tests.test_memory import DIPLO, assert_flat

pytestmark = pytest.mark.slow  # logs of many events, measuring peak memory
CORRECTION_TOPICS = [f"Entity.{name}" for name in CORRECTIONS]

SMALL, LARGE = 5_000, 30_000
# Holding 25,000 more entries costs 2 KB (JSON Lines) to 7 KB (a table) each, 50 to 170 MB;
# a streaming log holds a part of a table at a time.
ALLOWED_GROWTH_MB = 20


def ledgers(
    factory: pytest.TempPathFactory, name: str, bodies: Callable[[int], Iterable[dict[str, Any]]]
) -> dict[int, str]:
    """A ledger of ``SMALL`` events and one of ``LARGE``, imported from ``bodies(count)``."""
    made = {}
    for events in (SMALL, LARGE):
        folder = factory.mktemp(f"{name}-{events}")
        source = folder / "events.jsonl"
        source.write_text("".join(json.dumps(body) + "\n" for body in bodies(events)))
        store = str(folder / "ledger.db")
        subprocess.run([str(DIPLO), "init", "--store", store], check=True, capture_output=True)
        subprocess.run(
            [str(DIPLO), "import", str(source), "--store", store], check=True, capture_output=True
        )
        made[events] = store
    return made


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> dict[int, str]:
    return ledgers(tmp_path_factory, "log", generate)


@pytest.fixture(scope="module")
def unsourced(tmp_path_factory: pytest.TempPathFactory) -> dict[int, str]:
    """Ledgers whose every event cites no source: an audit without an entity lists them all."""

    def bodies(count: int) -> Iterable[dict[str, Any]]:
        return ({k: v for k, v in body.items() if k != "sources"} for body in generate(count))

    return ledgers(tmp_path_factory, "unsourced", bodies)


@pytest.mark.parametrize(
    "options",
    [
        ["--format", "table"],
        ["--format", "json"],
        ["--format", "jsonl"],
        ["--format", "jsonl", "--as-of", "{head}"],  # the ledger read as facts, not the views
    ],
    ids=" ".join,
)
def test_a_log_of_six_times_more_events_takes_no_more_memory(
    stores: dict[int, str], options: list[str]
) -> None:
    assert_flat(stores, ALLOWED_GROWTH_MB, "log", *options)


@pytest.mark.parametrize("form", ["jsonl", "cameo", "iati"])
def test_an_export_of_six_times_more_events_takes_no_more_memory(
    stores: dict[int, str], form: str
) -> None:
    assert_flat(stores, ALLOWED_GROWTH_MB, "export", "--format", form)


@pytest.mark.parametrize("form", ["table", "json"])
def test_an_audit_listing_six_times_more_events_takes_no_more_memory(
    unsourced: dict[int, str], form: str
) -> None:
    assert_flat(unsourced, ALLOWED_GROWTH_MB, "audit", "--format", form)


def test_what_an_audit_and_an_export_remember_of_the_log_waits_on_disk_beyond_a_bound(
    stores: dict[int, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Following the log means remembering every party's name and country, every record's
    countries and every correction (60,000, 260,000 and 27,500 of them on 1M events): beyond
    ``spill.KEPT`` of each, and ``activities.PARTIES`` registrations, they wait on disk.
    Bounds made small here show it on small ledgers: what is held once the whole log has
    been read, measured in this process (tracemalloc; leaving out what pydantic's validator
    keeps of the facts it read, which is not the reader's)."""
    monkeypatch.setattr(spill, "KEPT", 100)
    monkeypatch.setattr(activities, "PARTIES", 100)

    def held(store: str) -> int:
        ledger = open_ledger(store)
        stop, taken = ledger.head(), []

        def read_to_the_end(log: Iterable[Any]) -> Iterator[Any]:
            yield from log
            taken.append(tracemalloc.take_snapshot())  # all remembered, nothing let go yet

        tracemalloc.start()
        try:
            corrections = ledger.read(stop=stop, topics=topics_among(CORRECTION_TOPICS))
            audited = trail(read_to_the_end(ledger.read(stop=stop)), "JP", amendments(corrections))
            assert any(True for _ in audited)
            plan = corrections_until(ledger, stop, plan=Plan(amendments=spill.Spilled()))
            gathered = gather(current_events(read_to_the_end(stored_events(ledger, stop)), plan))
            gathered.close()
        finally:
            tracemalloc.stop()
            ledger.close()
        outside = [tracemalloc.Filter(False, "*/pydantic/*", all_frames=True)]
        return sum(
            stat.size
            for snapshot in taken
            for stat in snapshot.filter_traces(outside).statistics("filename")
        )

    held(stores[SMALL])  # caches filled and modules imported once, before measuring
    small, large = held(stores[SMALL]), held(stores[LARGE])
    # Held in memory, 25,000 more events' parties, records and corrections took 5 MB more.
    assert large - small < 500_000, f"{SMALL:,}: {small:,} B, {LARGE:,}: {large:,} B"
