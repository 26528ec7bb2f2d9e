"""`diplo log`, `diplo export` and `diplo audit` stream: peak memory does not grow with the
number of events, in any format of the log (read from the views' log or, looking back with
`--as-of`, from the ledger itself), of the audit, and of the export in JSON Lines, CAMEO rows
and IATI XML (whose activities wait for their last events in a temporary file, not in
memory)."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable, Iterable
from typing import Any

import pytest

from tests.generate import generate
from tests.test_memory import DIPLO, assert_flat

pytestmark = pytest.mark.slow  # logs of many events, measuring peak memory

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
