"""Read commands import none of what made them slow to start, checked without timing them.

Importing pydantic (and building the event models), eventsourcing's Application or
sqlite-utils took read commands to 12-15 times `python -c pass`; `bench/bench_startup.py`
times them, and this catches a regression on any machine, however busy: each command runs in
a fresh interpreter (`python -X importtime`), on the demo ledger with its views current.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from diplo.cli.main import app

HEAVY = ("pydantic", "eventsourcing.application", "sqlite_utils", "diplo.events.types")
KEY = "uza-676233/project/samarkand-clinic"
COMMANDS = [
    ("log",),
    ("log", "--format", "json"),
    ("log", "--country", "UZ", "--since", "2025"),
    ("show", KEY),
    ("show", KEY, "--format", "json"),
    ("report", "partnership", "JP", "UZ"),
    ("report", "grants"),
    ("report", "timeline", "--format", "json"),
    ("verify",),
]
PRINTED_WITHOUT_RICH = [("log", "--format", "jsonl"), ("show", KEY, "--format", "json")]
PRINTED_WITHOUT_RICH += [("report", "partnership", "JP", "UZ"), ("report", "grants")]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("demo")
    result = CliRunner().invoke(app, ["demo", "--out", str(folder)])
    assert result.exit_code == 0, result.output
    return str(folder / "ledger.db")


def imported(*args: str) -> set[str]:
    """Every module a fresh ``diplo ARGS`` imports."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "diplo.cli.main", *args],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).parent,
    )
    lines = [line for line in done.stderr.splitlines() if line.startswith("import time:")]
    return {line.rsplit("|", 1)[-1].strip() for line in lines[1:]}  # [0] is the header


def heavy(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY))


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_a_read_imports_no_models_no_application_no_sqlite_utils(
    store: str, command: tuple[str, ...]
) -> None:
    modules = imported(*command, "--store", store)
    assert "diplo.cli.common" in modules  # the probe sees the command's imports
    assert heavy(modules) == []


@pytest.mark.parametrize("command", PRINTED_WITHOUT_RICH, ids=" ".join)
def test_what_is_not_a_table_is_printed_without_rich(store: str, command: tuple[str, ...]) -> None:
    modules = imported(*command, "--store", store)
    assert sorted(m for m in modules if m == "rich" or m.startswith("rich.")) == []


def test_help_for_a_type_builds_no_model() -> None:
    modules = imported("record", "GrantAgreementSigned", "--help")
    assert "diplo.events.declared" in modules
    assert heavy(modules) == []


def test_views_behind_the_store_take_the_full_path(store: str, tmp_path: Path) -> None:
    """The probe is not blind: where the quick path cannot answer, the heavy modules load."""
    views = tmp_path / "elsewhere.views.db"
    modules = imported("report", "grants", "--views", str(views), "--store", store)
    assert "sqlite_utils" in modules and "pydantic" in modules
