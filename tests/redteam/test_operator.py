"""A careless operator's mistakes give one clear line and a non-zero exit, never a traceback,
a silently empty answer, or a ledger that later commands refuse."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import psycopg
import pytest

from diplo.domain.store.opening import open_ledger
from diplo.projections.runner import rebuild
from tests.conftest import GRANT, ORG, PERSON, SEED, store_digest, write_jsonl
from tests.generate import generate

DIPLO = str(Path(sys.executable).with_name("diplo"))


def one_line_error(result: Any, *expected: str) -> None:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    for text in expected:
        assert text in lines[0], lines[0]


@pytest.fixture
def seeded(diplo: Any, store: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("DIPLO_SEAL_KEY", str(tmp_path / "keys" / "seal.pem"))
    assert diplo("import", str(SEED), "--store", store).exit_code == 0
    return store


OUT_COMMANDS = [["report", "grants"], ["report", "partnership", "JP", "UZ"], ["seal"]]


@pytest.mark.parametrize("command", OUT_COMMANDS)
def test_out_to_a_missing_folder_is_one_line(diplo: Any, seeded: str, command: list[str]) -> None:
    out = Path(seeded).parent / "no-such-folder" / "report.md"
    result = diplo(*command, "--out", str(out), "--store", seeded)
    one_line_error(result, "--out", "no-such-folder does not exist")


@pytest.mark.parametrize("command", OUT_COMMANDS)
def test_out_to_a_folder_is_one_line(diplo: Any, seeded: str, command: list[str]) -> None:
    result = diplo(*command, "--out", str(Path(seeded).parent), "--store", seeded)
    one_line_error(result, "--out", "is a folder")


@pytest.mark.parametrize("command", OUT_COMMANDS)
def test_out_to_a_full_disk_is_one_line(diplo: Any, seeded: str, command: list[str]) -> None:
    result = diplo(*command, "--out", "/dev/full", "--store", seeded)
    one_line_error(result, "--out /dev/full", "No space left on device")


def test_out_leaves_no_half_written_report_behind(diplo: Any, seeded: str) -> None:
    out = Path(seeded).parent / "grants.md"
    assert diplo("report", "grants", "--out", str(out), "--store", seeded).exit_code == 0
    assert out.read_text().startswith("#")
    assert [p.name for p in out.parent.iterdir() if p.name.startswith(".grants")] == []


@pytest.mark.parametrize("name", ["a#b.db", "q?x=1.db", "100%.db", "both #?%.db"])
def test_store_names_with_hash_question_mark_and_percent_work_everywhere(
    diplo: Any, tmp_path: Path, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DIPLO_SEAL_KEY", str(tmp_path / "seal.pem"))
    store = str(tmp_path / name)
    for command in (
        ["init"],
        ["import", str(SEED)],
        ["log", "--format", "jsonl"],
        ["report", "grants"],
        ["views", "rebuild"],
        ["verify"],
        ["seal", "--out", str(tmp_path / "checkpoint.json")],
        ["export"],
    ):
        result = diplo(*command, "--store", store)
        assert result.exit_code == 0, (command, result.output)
    assert Path(store).exists() and Path(store.replace(".db", ".views.db")).exists()


@pytest.mark.parametrize(
    "name", ["file:ledger.db?mode=memory&cache=shared", ":memory:", "file::memory:", "file:x.db"]
)
def test_init_refuses_a_store_that_cannot_hold_a_ledger(
    diplo: Any, tmp_path: Path, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = diplo("init", "--store", name)
    one_line_error(result, "a ledger must be a file")
    assert "ready" not in result.output
    assert list(tmp_path.iterdir()) == []


def schemas(postgres: str, *names: str) -> set[str]:
    with psycopg.connect(postgres) as conn:
        rows = conn.execute(
            "SELECT nspname FROM pg_namespace WHERE nspname = ANY(%s)", (list(names),)
        )
        return {row[0] for row in rows}


def test_a_failed_postgresql_init_leaves_no_schema_behind(diplo: Any, postgres: str) -> None:
    # A reserved word is a valid schema name that eventsourcing's recorder cannot use: the
    # schema is created, then making the tables fails.
    for reserved in ("select", "order"):
        assert reserved not in schemas(postgres, reserved)
        result = diplo("init", "--store", f"{postgres}?schema={reserved}")
        one_line_error(result, "cannot open the ledger")
        assert schemas(postgres, reserved) == set()


@pytest.mark.parametrize("schema", ["Upper{}", "a b{}", 'we"ird{}', "x.y{}", " pad{}", "1st{}"])
def test_postgresql_init_refuses_a_schema_name_it_cannot_use_before_creating_it(
    diplo: Any, postgres: str, schema: str
) -> None:
    schema = schema.format(uuid.uuid4().hex[:8])
    result = diplo("init", "--store", f"{postgres}?schema={schema}")
    one_line_error(result, "schema name must be lowercase")
    assert schemas(postgres, schema) == set()


def test_a_failed_init_keeps_a_schema_that_existed_before(diplo: Any, postgres: str) -> None:
    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{name}"')
        conn.execute(f'CREATE TABLE "{name}".keep_me (x int)')
    try:
        assert diplo("init", "--store", f"{postgres}?schema={name}").exit_code == 0
        assert schemas(postgres, name) == {name}
    finally:
        with psycopg.connect(postgres, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{name}" CASCADE')


def dead_pid() -> int:
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def test_a_rebuild_removes_what_killed_rebuilds_left_behind(seeded: str) -> None:
    views = seeded.replace(".db", ".views.db")
    running = subprocess.Popen(["sleep", "60"])  # stands for a rebuild still at work
    dead, alive = dead_pid(), running.pid
    stale = [
        f"{views}.rebuild-{dead}",
        f"{views}.rebuild-{dead}-wal",
        f"{views}.rebuild-{dead}-shm",
    ]
    for name in stale + [f"{views}.rebuild-{alive}-journal"]:
        Path(name).write_bytes(b"half a views file")
    ledger = open_ledger(seeded)
    try:
        rebuild(ledger, views)
    finally:
        ledger.close()
        running.kill()
        running.wait()
    assert not any(Path(name).exists() for name in stale)
    assert Path(f"{views}.rebuild-{alive}-journal").exists()  # a running rebuild's: kept


@pytest.mark.slow
def test_a_rebuild_killed_mid_way_is_cleaned_up_by_the_next_command(tmp_path: Path) -> None:
    store, views = str(tmp_path / "ledger.db"), str(tmp_path / "ledger.views.db")
    subprocess.run([DIPLO, "init", "--store", store], check=True, capture_output=True)
    events = write_jsonl(tmp_path / "many.jsonl", *generate(10000))
    subprocess.run([DIPLO, "import", events, "--store", store, "--no-views"], check=True)
    child = subprocess.Popen([DIPLO, "views", "rebuild", "--store", store])
    scratch = Path(f"{views}.rebuild-{child.pid}")
    deadline = time.monotonic() + 60
    while not scratch.exists() and time.monotonic() < deadline and child.poll() is None:
        time.sleep(0.01)
    child.send_signal(signal.SIGKILL)
    child.wait()
    if not scratch.exists():
        pytest.skip("the rebuild ended before it could be killed")
    done = subprocess.run([DIPLO, "views", "update", "--store", store], capture_output=True)
    assert done.returncode == 0, done.stderr
    assert [p.name for p in tmp_path.iterdir() if ".rebuild-" in p.name] == []


@pytest.mark.parametrize("country", ["QQ", "ß", "JPN", "japan", "J", "XX"])
def test_log_refuses_what_is_not_a_country(diplo: Any, seeded: str, country: str) -> None:
    result = diplo("log", "--country", country, "--store", seeded)
    one_line_error(result, "--country", "ISO 3166-1 alpha-2")


def test_log_country_hints_at_the_code_of_a_name(diplo: Any, seeded: str) -> None:
    result = diplo("log", "--country", "Uzbekistan", "--store", seeded)
    one_line_error(result, "did you mean UZ")
    # a code in lower case is refused with a hint, never upper-cased behind the clerk's back
    lower = diplo("log", "--country", "uz", "--store", seeded)
    assert lower.exit_code == 1 and "did you mean 'UZ'" in lower.stderr


def retract(diplo: Any, store: str, key: str) -> None:
    result = diplo("retract", key, "--reason", "registered in error", "--store", store)
    assert result.exit_code == 0, result.output


def test_a_retracted_organisation_cannot_be_named_in_a_new_grant(
    diplo: Any, store: str, tmp_path: Path
) -> None:
    diplo(
        "import", write_jsonl(tmp_path / "a.jsonl", ORG | {"key": "org-1"}, GRANT), "--store", store
    )
    retract(diplo, store, "org-1")
    before = store_digest(store)
    grant = GRANT | {"grant": "g2", "purpose": "Another"}
    result = diplo("import", write_jsonl(tmp_path / "b.jsonl", grant), "--store", store)
    one_line_error(result, "recipient", "organization 'moh-uz' was retracted", "org-1")
    assert store_digest(store) == before
    log = json.loads(diplo("log", "--store", store, "--format", "json").stdout)
    assert [r["type"] for r in log] == [
        "OrganizationRegistered",
        "GrantAgreementSigned",
        "EventRetracted",
    ]


def test_a_retracted_person_or_programme_cannot_be_named_either(
    diplo: Any, store: str, tmp_path: Path
) -> None:
    programme = {
        "type": "ProgrammeRegistered",
        "programme": "ggp",
        "name": "GGP",
        "donor": "JP",
        "key": "prog-1",
    }
    diplo(
        "import",
        write_jsonl(tmp_path / "a.jsonl", ORG, PERSON | {"key": "person-1"}, programme),
        "--store",
        store,
    )
    retract(diplo, store, "person-1")
    retract(diplo, store, "prog-1")
    meeting = {
        "type": "MeetingHeld",
        "meeting": "m1",
        "countries": ["JP", "UZ"],
        "participants": ["hatori-takashi", "moh-uz"],
        "occurred_on": "2025-01-10",
    }
    result = diplo("import", write_jsonl(tmp_path / "m.jsonl", meeting), "--store", store)
    one_line_error(result, "participants[0]", "person 'hatori-takashi' was retracted")
    result = diplo(
        "import", write_jsonl(tmp_path / "g.jsonl", GRANT | {"programme": "ggp"}), "--store", store
    )
    one_line_error(result, "programme", "programme 'ggp' was retracted")


def test_a_retraction_in_the_same_file_counts_for_the_lines_after_it(
    diplo: Any, store: str, tmp_path: Path
) -> None:
    before = store_digest(store)
    retraction = {"type": "EventRetracted", "target": "org-1", "reason": "duplicate"}
    lines = write_jsonl(tmp_path / "a.jsonl", ORG | {"key": "org-1"}, retraction, GRANT)
    result = diplo("import", lines, "--store", store)
    one_line_error(result, ":3:", "was retracted")
    assert store_digest(store) == before


def test_a_correction_cannot_point_a_grant_at_a_retracted_organisation(
    diplo: Any, store: str, tmp_path: Path
) -> None:
    other = ORG | {"org": "moh-jp", "name": "Other ministry", "country": "JP", "key": "org-2"}
    diplo(
        "import",
        write_jsonl(tmp_path / "a.jsonl", ORG, other, GRANT | {"key": "g1"}),
        "--store",
        store,
    )
    retract(diplo, store, "org-2")
    result = diplo("correct", "g1", "--set", "recipient=moh-jp", "--reason", "x", "--store", store)
    one_line_error(result, "organization 'moh-jp' was retracted")


def test_out_never_replaces_the_ledger(diplo: Any, seeded: str) -> None:
    before = store_digest(seeded)
    result = diplo("report", "grants", "--out", seeded, "--store", seeded)
    one_line_error(result, "is a SQLite database", "not replaced")
    assert store_digest(seeded) == before


def test_views_pointing_at_someone_elses_file_never_replace_it(
    diplo: Any, store: str, tmp_path: Path
) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text("# my notes\n")
    result = diplo("import", str(SEED), "--store", store, "--views", str(notes))
    assert result.exit_code == 4 and "it is not a SQLite file" in result.stderr
    rebuilt = diplo("views", "rebuild", "--store", store, "--views", str(notes))
    one_line_error(rebuilt, "it is not a SQLite file")
    assert notes.read_text() == "# my notes\n"


def test_an_event_naming_an_organisation_retracted_later_can_still_be_corrected(
    diplo: Any, store: str, tmp_path: Path
) -> None:
    lines = write_jsonl(tmp_path / "a.jsonl", ORG | {"key": "org-1"}, GRANT | {"key": "g1"})
    diplo("import", lines, "--store", store)
    retract(diplo, store, "org-1")
    fixed = diplo(
        "correct",
        "g1",
        "--set",
        "purpose=Equip two hospitals",
        "--reason",
        "typo",
        "--store",
        store,
    )
    assert fixed.exit_code == 0, fixed.output
