"""Who recorded an event is who ran the command, stored under the hash; never what the input
file says.

Before, `"recorded_by": "the minister"` in an import line was stored as the recorder, so any
clerk could record in another's name; and the OS user came from `USER`/`LOGNAME`, which any
clerk can set. A name in the file is now kept as what it is: who reported it.
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import psycopg
import pytest

from tests.conftest import GRANT, ORG, SEED, write_jsonl

FIXTURE = Path(__file__).parents[1] / "fixtures" / "ledger-0.1"
OS_USER = pwd.getpwuid(os.getuid()).pw_name


def shown(diplo: Any, store: str, key: str) -> dict[str, Any]:
    result = diplo("show", key, "--store", store, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_a_file_cannot_name_the_recorder(diplo: Any, store: str, tmp_path: Path) -> None:
    claimed = ORG | {"key": "org-1", "recorded_by": "the minister"}
    assert (
        diplo("import", write_jsonl(tmp_path / "in.jsonl", claimed), "--store", store).exit_code
        == 0
    )
    event = shown(diplo, store, "org-1")
    assert event["recorded_by"] == OS_USER
    assert event["event"]["reported_by"] == "the minister"


def test_the_environment_cannot_name_the_recorder(
    diplo: Any, store: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for variable in ("USER", "LOGNAME", "LNAME", "USERNAME"):
        monkeypatch.setenv(variable, "the-minister")
    lines = write_jsonl(tmp_path / "in.jsonl", ORG | {"key": "org-1"})
    assert diplo("import", lines, "--store", store).exit_code == 0
    assert shown(diplo, store, "org-1")["recorded_by"] == OS_USER


def test_record_and_correct_are_recorded_by_who_runs_them(diplo: Any, store: str) -> None:
    result = diplo(
        "record",
        "OrganizationRegistered",
        "--json",
        json.dumps(ORG | {"key": "org-1"}),
        "--recorded-by",
        "the minister",
        "--store",
        store,
    )
    assert result.exit_code == 0, result.output
    fix = diplo(
        "correct",
        "org-1",
        "--set",
        "name=Ministry of Health of Uzbekistan",
        "--reason",
        "full name",
        "--store",
        store,
    )
    assert fix.exit_code == 0, fix.output
    event = shown(diplo, store, "org-1")
    assert (event["recorded_by"], event["event"]["reported_by"]) == (OS_USER, "the minister")
    assert [c["recorded_by"] for c in event["corrections"]] == [OS_USER]


def test_the_recorder_is_under_the_hash_chain(diplo: Any, store: str, tmp_path: Path) -> None:
    assert (
        diplo("import", write_jsonl(tmp_path / "in.jsonl", ORG, GRANT), "--store", store).exit_code
        == 0
    )
    assert diplo("verify", "--store", store).exit_code == 0
    with closing(sqlite3.connect(store)) as db, db:
        state = db.execute("SELECT state FROM stored_events WHERE rowid = 2").fetchone()[0]
        assert f'"recorded_by":"{OS_USER}"'.encode() in state
        db.execute("DROP TRIGGER stored_events_no_update")  # an attacker with the file
        db.execute(
            "UPDATE stored_events SET state = CAST(replace(CAST(state AS TEXT), ?, ?) AS BLOB) "
            "WHERE rowid = 2",
            (f'"recorded_by":"{OS_USER}"', '"recorded_by":"the-minister"'),
        )
    assert diplo("verify", "--store", store).exit_code == 3


def test_an_old_file_imports_unchanged_and_reimports_into_an_old_ledger_as_recorded(
    diplo: Any, tmp_path: Path, store: str
) -> None:
    assert '"recorded_by": "diplo seed"' in SEED.read_text()
    fresh = diplo("import", str(SEED), "--store", store)
    assert "recorded 23 new" in fresh.stdout
    old = tmp_path / "old" / "ledger.db"
    old.parent.mkdir()
    shutil.copy(FIXTURE / "ledger.db", old)
    again = diplo("import", str(SEED), "--store", str(old))
    assert again.exit_code == 0, again.output
    assert "recorded 0 new, 23 skipped" in again.stdout
    # rows written by diplo 0.1 read as they were: their recorder is what they hold
    assert shown(diplo, str(old), "uza-676233/org/gov-jp")["recorded_by"] == "diplo seed"


def test_a_file_by_its_own_recorder_round_trips_unchanged(
    diplo: Any, store: str, tmp_path: Path
) -> None:
    assert (
        diplo("import", write_jsonl(tmp_path / "in.jsonl", ORG, GRANT), "--store", store).exit_code
        == 0
    )
    exported = diplo("export", "--store", store).stdout
    second = str(tmp_path / "second.db")
    diplo("init", "--store", second)
    (tmp_path / "export.jsonl").write_text(exported)
    assert diplo("import", str(tmp_path / "export.jsonl"), "--store", second).exit_code == 0
    assert diplo("export", "--store", second).stdout == exported
    assert "reported_by" not in exported


@pytest.fixture
def clerk_role(postgres: str) -> Iterator[tuple[str, str]]:
    """A PostgreSQL login role of its own, allowed to create a ledger in database test."""
    role, schema = f"clerk_{uuid.uuid4().hex[:10]}", f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres, autocommit=True) as conn:
        conn.execute(f'CREATE ROLE "{role}" LOGIN')
        conn.execute(f'GRANT CREATE ON DATABASE "{conn.info.dbname}" TO "{role}"')
    user_url = postgres.replace("postgres@", f"{role}@", 1)
    yield role, f"{user_url}?schema={schema}"
    with psycopg.connect(postgres, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        conn.execute(f'REVOKE CREATE ON DATABASE "{conn.info.dbname}" FROM "{role}"')
        conn.execute(f'DROP ROLE "{role}"')


def test_on_postgresql_the_recorder_is_the_session_role(
    diplo: Any, clerk_role: tuple[str, str], tmp_path: Path
) -> None:
    role, store = clerk_role
    assert diplo("init", "--store", store).exit_code == 0
    claimed = ORG | {"key": "org-1", "recorded_by": "the minister"}
    result = diplo(
        "import",
        write_jsonl(tmp_path / "in.jsonl", claimed),
        "--store",
        store,
        "--views",
        str(tmp_path / "v.db"),
    )
    assert result.exit_code == 0, result.output
    event = shown(diplo, store, "org-1")
    assert (event["recorded_by"], event["event"]["reported_by"]) == (role, "the minister")
