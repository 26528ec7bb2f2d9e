"""A views file belongs to one store: reports never show events the ledger does not hold.

Before, the views trusted their own tracking position: after `ledger.db` was restored from a
backup, reports kept showing grants the ledger no longer held and skipped the ones recorded
since; a `--views` file used with two ledgers mixed them; and two PostgreSQL ledgers used
from one folder shared `./ledger.views.db`.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import psycopg
import pytest

from diplo.domain.store.meta import ledger_id
from diplo.domain.store.opening import open_ledger
from diplo.projections.runner import views_path
from tests.conftest import GRANT, ORG, store_digest, write_jsonl

FIXTURE = Path(__file__).parents[1] / "fixtures" / "ledger-0.1"


def grants(diplo: Any, store: str, *extra: str) -> list[str]:
    result = diplo("report", "grants", "--format", "json", "--store", store, *extra)
    assert result.exit_code == 0, result.output
    return [row["grant"] for row in json.loads(result.stdout)["sections"].get("Grants", [])]


def record_grant(diplo: Any, store: str, grant: str, *extra: str) -> None:
    body = json.dumps(GRANT | {"grant": grant, "purpose": f"Equip hospital {grant}"})
    result = diplo("record", "GrantAgreementSigned", "--json", body, "--store", store, *extra)
    assert result.exit_code == 0, result.output


@pytest.fixture
def with_org(diplo: Any, store: str, tmp_path: Path) -> str:
    diplo("import", write_jsonl(tmp_path / "org.jsonl", ORG), "--store", store)
    return store


def test_a_restored_backup_never_shows_the_grants_it_lost(
    diplo: Any, with_org: str, tmp_path: Path
) -> None:
    store = with_org
    backup = tmp_path / "backup.db"
    shutil.copy(store, backup)
    record_grant(diplo, store, "lost-grant")
    assert grants(diplo, store) == ["lost-grant"]
    shutil.copy(backup, store)  # the operator restores last night's backup …
    record_grant(diplo, store, "new-grant")  # … and records on: same position, other event
    assert grants(diplo, store) == ["new-grant"]


def test_views_past_the_end_of_a_restored_store_are_rebuilt(
    diplo: Any, with_org: str, tmp_path: Path
) -> None:
    store = with_org
    shutil.copy(store, tmp_path / "backup.db")
    record_grant(diplo, store, "lost-grant")
    shutil.copy(tmp_path / "backup.db", store)
    result = diplo("views", "update", "--store", store)
    assert result.exit_code == 0, result.output
    assert "past the ledger's last event" in result.stderr
    assert grants(diplo, store) == []


def test_one_views_file_used_with_two_ledgers_never_mixes_them(diplo: Any, tmp_path: Path) -> None:
    shared = str(tmp_path / "shared.views.db")
    first, second = str(tmp_path / "a.db"), str(tmp_path / "b.db")
    for store, grant in ((first, "a-grant"), (second, "b-grant")):
        assert diplo("init", "--store", store).exit_code == 0
        diplo(
            "import", write_jsonl(tmp_path / "org.jsonl", ORG), "--store", store, "--views", shared
        )
        record_grant(diplo, store, grant, "--views", shared)
    assert grants(diplo, second, "--views", shared) == ["b-grant"]
    assert grants(diplo, first, "--views", shared) == ["a-grant"]


def test_a_copy_of_the_store_made_by_init_elsewhere_has_its_own_id(tmp_path: Path) -> None:
    ids = []
    for name in ("a.db", "b.db"):
        ledger = open_ledger(str(tmp_path / name), create=True)
        ids.append(ledger_id(ledger))
        ledger.close()
        reopened = open_ledger(str(tmp_path / name))
        assert ledger_id(reopened) == ids[-1]  # stored in the ledger, not made up per open
        reopened.close()
    assert ids[0] != ids[1] and all(len(i) == 36 for i in ids)


def test_the_ledger_id_cannot_be_changed_in_place(store: str) -> None:
    with closing(sqlite3.connect(store)) as db:
        for statement in ("UPDATE diplo_meta SET value = 'other'", "DELETE FROM diplo_meta"):
            with pytest.raises(sqlite3.DatabaseError, match="ledger id is fixed"):
                db.execute(statement)


def test_an_old_ledger_gets_an_id_without_any_write(tmp_path: Path) -> None:
    store = tmp_path / "ledger.db"
    shutil.copy(FIXTURE / "ledger.db", store)
    before = store_digest(str(store))
    ledger = open_ledger(str(store))
    try:
        first, second = ledger_id(ledger), ledger_id(ledger)
    finally:
        ledger.close()
    assert first == second and len(first) == 36
    assert store_digest(str(store)) == before
    with closing(sqlite3.connect(store)) as db:
        assert not db.execute("SELECT 1 FROM sqlite_master WHERE name = 'diplo_meta'").fetchone()


def test_views_that_do_not_say_their_ledger_are_rebuilt_not_read(diplo: Any, with_org: str) -> None:
    store = with_org
    record_grant(diplo, store, "real-grant")
    views = store.replace(".db", ".views.db")
    with closing(sqlite3.connect(views)) as db, db:  # as a views file of diplo 0.1 would be
        db.execute("DELETE FROM _binding")
        db.execute("UPDATE grants SET grant = 'phantom-grant'")
    assert grants(diplo, store) == ["real-grant"]


@pytest.fixture
def two_schemas(postgres: str) -> Iterator[list[str]]:
    names = [f"t_{uuid.uuid4().hex[:12]}_{side}" for side in "ab"]
    yield [f"{postgres}?schema={name}" for name in names]
    with psycopg.connect(postgres, autocommit=True) as conn:
        for name in names:
            conn.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')


def test_two_postgresql_ledgers_used_from_one_folder_keep_their_own_views(
    diplo: Any, two_schemas: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for store, grant in zip(two_schemas, ("a-grant", "b-grant"), strict=True):
        assert diplo("init", "--store", store).exit_code == 0
        diplo("import", write_jsonl(tmp_path / "org.jsonl", ORG), "--store", store)
        record_grant(diplo, store, grant)
    assert [grants(diplo, store) for store in two_schemas] == [["a-grant"], ["b-grant"]]
    paths = {views_path(store) for store in two_schemas}
    assert len(paths) == 2 and all(Path(p).exists() for p in paths)
    assert not Path("ledger.views.db").exists()


def test_the_default_postgresql_views_file_names_server_database_and_schema() -> None:
    base = "postgresql://clerk@db.example:5433/diplo"
    names = {views_path(f"{base}?schema={s}") for s in ("a", "b", "a_", "a.")}
    names |= {views_path("postgresql://clerk@db.example:5433/other?schema=a")}
    names |= {views_path("postgresql://clerk@elsewhere:5433/diplo?schema=a")}
    assert len(names) == 6
    assert all(os.sep not in name and name.endswith(".views.db") for name in names)
    assert "db_example.5433.diplo.a." in views_path(f"{base}?schema=a")
