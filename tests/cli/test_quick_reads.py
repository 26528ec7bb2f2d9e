"""The quick reads print byte for byte what the full path prints.

With current views, `log`, `show`, `report` and `verify` read the store as plain rows and the
views directly (``diplo.cli.quick``); the full path opens the ledger, validates every fact and
catches the views up. Both run here on the demo ledger and on a generated one (imported in
batches, so the views were caught up incrementally, with corrections and a retraction), for
every format and filter, and must print the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from diplo.cli import quick
from diplo.cli.main import app
from tests.generate import generate

RUNNER = CliRunner()
FORMATS = ("md", "html", "csv", "json")
REPORTS = ("grants", "equipment", "projects", "meetings", "agreements", "loans")
REPORTS += ("disbursements", "cooperation", "visits", "statements", "timeline")
LOG_FILTERS = [
    (),
    ("--format", "json"),
    ("--format", "jsonl"),
    ("--country", "UZ"),
    ("--country", "JP", "--format", "jsonl"),
    ("--type", "GrantAgreementSigned", "--format", "json"),
    ("--type", "OrganizationRegistered"),
    ("--since", "2020", "--until", "2023-06", "--format", "jsonl"),
    ("--valid-at", "2025-03", "--format", "json"),
    ("--valid-at", "2019"),
    ("--country", "KZ", "--since", "2024-02"),
]
LATER = [  # a registration corrected and a grant retracted, then activity naming them
    {"type": "EventCorrected", "target": "bench-0", "changes": {"name": "Renamed"},
     "reason": "typo", "key": "fix-name"},
    {"type": "EventRetracted", "target": "bench-5", "reason": "duplicate", "key": "drop-5"},
]  # fmt: skip


def run(*args: str) -> str:
    result = RUNNER.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("demo")
    run("demo", "--out", str(folder))
    return str(folder / "ledger.db")


@pytest.fixture(scope="module")
def generated_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("generated")
    store = str(folder / "ledger.db")
    run("init", "--store", store)
    events = list(generate(450, seed=14))
    batches = [events[:150], events[150:300], LATER, events[300:]]
    for n, batch in enumerate(batches):
        path = folder / f"batch-{n}.jsonl"
        path.write_text("".join(json.dumps(body) + "\n" for body in batch))
        run("import", str(path), "--store", store)  # the views catch up after each
    return store


@contextmanager
def full_path(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every quick read declines: the commands take the full path."""

    @contextmanager
    def none(*args: Any) -> Iterator[None]:
        yield None

    with monkeypatch.context() as patched:
        patched.setattr(quick, "plain_store", none)
        patched.setattr(quick, "quick_reads", none)
        yield


@contextmanager
def quick_path(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[bool]]:
    """The quick reads as they are, noting whether each found what it needed."""
    taken: list[bool] = []
    plain, reads = quick.plain_store, quick.quick_reads

    @contextmanager
    def noting(opener: Any, *args: Any) -> Iterator[Any]:
        with opener(*args) as found:
            taken.append(found is not None)
            yield found

    with monkeypatch.context() as patched:
        patched.setattr(quick, "plain_store", lambda *a: noting(plain, *a))
        patched.setattr(quick, "quick_reads", lambda *a: noting(reads, *a))
        yield taken


def both_paths(monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[str, str]:
    with quick_path(monkeypatch) as taken:
        fast = run(*args)
    assert taken and all(taken), f"the quick path was not taken for {args}"
    with full_path(monkeypatch):
        reference = run(*args)
    return fast, reference


@pytest.mark.parametrize("ledger", ["demo_store", "generated_store"])
@pytest.mark.parametrize("filters", LOG_FILTERS, ids=" ".join)
def test_the_log_reads_alike_both_ways(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, ledger: str, filters: Any
) -> None:
    store = request.getfixturevalue(ledger)
    fast, reference = both_paths(monkeypatch, "log", *filters, "--store", store)
    assert fast == reference


@pytest.mark.parametrize("ledger", ["demo_store", "generated_store"])
@pytest.mark.parametrize("output", FORMATS)
def test_the_partnership_reports_alike_both_ways(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, ledger: str, output: str
) -> None:
    store = request.getfixturevalue(ledger)
    args = ("report", "partnership", "JP", "UZ", "--format", output, "--store", store)
    fast, reference = both_paths(monkeypatch, *args)
    assert fast == reference


@pytest.mark.parametrize("ledger", ["demo_store", "generated_store"])
@pytest.mark.parametrize("report", REPORTS)
def test_every_report_reads_alike_both_ways(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, ledger: str, report: str
) -> None:
    store = request.getfixturevalue(ledger)
    for output in ("md", "json") if report != "grants" else FORMATS:
        fast, reference = both_paths(
            monkeypatch, "report", report, "--format", output, "--store", store
        )
        assert fast == reference


def keys_to_show(store: str) -> list[str]:
    logged = json.loads(run("log", "--format", "json", "--store", store))
    amended = [e["event"]["target"] for e in logged if "target" in e["event"]]
    return [logged[0]["key"], logged[-1]["key"], *amended[:4], "no-such-key"]


@pytest.mark.parametrize("ledger", ["demo_store", "generated_store"])
def test_show_reads_alike_both_ways(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, ledger: str
) -> None:
    store = request.getfixturevalue(ledger)
    for key in keys_to_show(store):
        for output in ("table", "json"):
            args = ["show", key, "--format", output, "--store", store]
            with quick_path(monkeypatch) as taken:
                fast = RUNNER.invoke(app, args)
            assert taken == [True]
            with full_path(monkeypatch):
                reference = RUNNER.invoke(app, args)
            assert (fast.exit_code, fast.stdout, fast.stderr) == (
                reference.exit_code,
                reference.stdout,
                reference.stderr,
            )


@pytest.mark.parametrize("ledger", ["demo_store", "generated_store"])
def test_verify_reads_alike_both_ways(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, ledger: str
) -> None:
    fast, reference = both_paths(monkeypatch, "verify", "--store", request.getfixturevalue(ledger))
    assert fast == reference and fast.startswith("ok: ")


def test_views_behind_the_store_are_caught_up_first(tmp_path: Path) -> None:
    folder, store = demo_ledger(tmp_path)
    new = {"type": "CommitmentStated", "by": "JP", "statement": "Later", "key": "later",
           "occurred_on": "2026"}  # fmt: skip
    (tmp_path / "later.jsonl").write_text(json.dumps(new) + "\n")
    run("import", str(tmp_path / "later.jsonl"), "--no-views", "--store", store)
    assert "later" in run("log", "--store", store)
    report = json.loads(run("report", "statements", "--format", "json", "--store", store))
    assert "Later" in json.dumps(report)


def demo_ledger(tmp_path: Path) -> tuple[Path, str]:
    """The demo's folder and its ledger, views current."""
    folder = tmp_path / "demo"
    run("demo", "--out", str(folder))
    return folder, str(folder / "ledger.db")


@pytest.mark.parametrize(
    ("deleted", "form", "told"),
    [
        ("5", "jsonl", "the views' log is at 6 where the ledger is at 5"),
        (
            "(SELECT MAX(position) FROM _log)",
            "json",
            "the views' log ends first, before position 23",
        ),
    ],
    ids=["a row in the middle", "its last row"],
)
def test_a_damaged_views_log_is_noted_and_the_ledger_read_instead(
    tmp_path: Path, deleted: str, form: str, told: str
) -> None:
    """Views are derived and disposable: if their `_log` rows no longer follow the ledger
    (a file edited by hand), `diplo log` says so on stderr and prints what the ledger holds,
    exactly as the full path does, rather than failing or trusting the damaged rows."""
    import sqlite3

    folder, store = demo_ledger(tmp_path)
    expected = run("log", "--format", form, "--store", store)
    with sqlite3.connect(folder / "ledger.views.db") as views:
        views.execute(f"DELETE FROM _log WHERE position = {deleted}")
    result = RUNNER.invoke(app, ["log", "--format", form, "--store", store])
    assert result.exit_code == 0, result.output
    assert result.stdout == expected
    assert told in result.stderr
    assert "diplo views rebuild" in result.stderr


def test_a_quick_read_sees_the_views_as_they_were_found_current(tmp_path: Path) -> None:
    """A report walks a table twice (its count heads the Markdown table, then its rows): what
    a writer commits to the views meanwhile is not seen, so the two walks agree."""
    import sqlite3

    from diplo.domain.store.plain import plain_ledger
    from diplo.projections.current import current_views

    folder = tmp_path / "demo"
    run("demo", "--out", str(folder))
    ledger = plain_ledger(str(folder / "ledger.db"))
    assert ledger is not None
    db = current_views(ledger, str(folder / "ledger.views.db"))
    assert db is not None
    try:
        found = db.execute("SELECT count(*) FROM grants").fetchone()
        assert found == (3,)
        with sqlite3.connect(folder / "ledger.views.db") as writer:
            writer.execute("DELETE FROM grants")
        assert db.execute("SELECT count(*) FROM grants").fetchone() == found
    finally:
        db.close()
        ledger.close()


def test_a_ledger_missing_a_row_the_views_hold_stops_the_log_with_an_integrity_error(
    tmp_path: Path,
) -> None:
    """An attacker deletes a stored row (the trigger dropped first). The views still match the
    ledger's head, so the log is read through them, and it stops where the ledger parts
    from them, exit 3, rather than print a log with a hole in it."""
    import sqlite3

    folder, store = demo_ledger(tmp_path)
    with sqlite3.connect(store) as ledger:
        ledger.execute("DROP TRIGGER stored_events_no_delete")
        ledger.execute("DELETE FROM stored_events WHERE rowid = 3")
    result = RUNNER.invoke(app, ["log", "--format", "jsonl", "--store", store])
    assert result.exit_code == 3, result.output
    assert [json.loads(line)["position"] for line in result.stdout.splitlines()] == [1, 2]
    assert "the views' log is at 3 where the ledger is at 4" in result.stderr
    assert "diplo verify" in result.stderr
