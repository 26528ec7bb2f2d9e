"""The hostile-input corpus: every file is refused with a clear, located message, quickly, in
little memory, and the store is byte for byte what it was. Regenerate: tests/corpus/generate.py
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from diplo.domain.store.opening import open_ledger
from diplo.events.jsonl import read_jsonl
from tests.conftest import SEED, store_digest

pytestmark = pytest.mark.slow  # the hostile-input corpus, each file through the CLI

CORPUS = Path(__file__).parent / "corpus"
EXPECTED: dict[str, str] = json.loads((CORPUS / "EXPECTED.json").read_text())
DIPLO = str(Path(sys.executable).with_name("diplo"))
MAX_SECONDS, MAX_RSS_MB = 5.0, 200
# Runs one command and reports its exit code, stderr, wall time and peak memory.
MEASURE = (
    "import json, resource, subprocess, sys, time\n"
    "started = time.monotonic()\n"
    "done = subprocess.run(sys.argv[1:], capture_output=True)\n"
    "print(json.dumps({'rc': done.returncode, 'stderr': done.stderr.decode(errors='replace'),\n"
    "                  'seconds': time.monotonic() - started,\n"
    "                  'rss_mb': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))\n"
)


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "ledger.db"
    ledger = open_ledger(str(path), create=True)
    with SEED.open("rb") as stream:
        ledger.record([(str(n), f) for n, f in read_jsonl(stream, "seed")], recorded_by="seed")
    ledger.close()
    return path


def refuse(template: Path, folder: Path, events: Path) -> dict[str, Any]:
    folder.mkdir(parents=True)
    store = folder / "ledger.db"
    shutil.copy(template, store)
    before = store_digest(str(store))
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            MEASURE,
            DIPLO,
            "import",
            str(events),
            "--store",
            str(store),
            "--no-views",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(run.stdout) | {"unchanged": store_digest(str(store)) == before}


@pytest.fixture(scope="session")
def outcomes(
    seeded_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, dict[str, Any]]:
    """Every corpus file, refused two at a time (the machine has two cores)."""
    root = tmp_path_factory.mktemp("corpus-runs")
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {
            name: pool.submit(refuse, seeded_template, root / name, CORPUS / name)
            for name in EXPECTED
        }
        return {name: future.result() for name, future in futures.items()}


def test_the_corpus_holds_at_least_sixty_hostile_inputs() -> None:
    assert len(EXPECTED) >= 60
    assert sorted(EXPECTED) == sorted(p.name for p in CORPUS.glob("*.jsonl"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_hostile_input_is_refused_clearly_quickly_and_changes_nothing(
    outcomes: dict[str, dict[str, Any]], name: str
) -> None:
    outcome = outcomes[name]
    assert outcome["rc"] == 1, outcome["stderr"]
    assert re.search(rf"{re.escape(name)}:\d+: ", outcome["stderr"]), outcome["stderr"]
    assert EXPECTED[name] in outcome["stderr"], outcome["stderr"]
    assert "Traceback" not in outcome["stderr"]
    assert outcome["unchanged"], "the store changed"
    assert outcome["seconds"] < MAX_SECONDS
    assert outcome["rss_mb"] < MAX_RSS_MB


def test_a_100_mb_line_is_refused_without_reading_it_all(
    seeded_template: Path, tmp_path: Path
) -> None:
    events = tmp_path / "huge.jsonl"  # generated here, never committed
    with events.open("wb") as handle:
        handle.write(b'{"type": "OrganizationRegistered", "org": "big", "name": "')
        chunk = b"a" * (1 << 20)
        for _ in range(100):
            handle.write(chunk)
        handle.write(b'", "country": "UZ", "kind": "ngo"}\n')
    outcome = refuse(seeded_template, tmp_path / "run", events)
    assert outcome["rc"] == 1 and "huge.jsonl:1: line is longer than 1 MiB" in outcome["stderr"]
    assert outcome["unchanged"] and outcome["seconds"] < MAX_SECONDS
    assert outcome["rss_mb"] < MAX_RSS_MB
