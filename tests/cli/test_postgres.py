"""The same ledger on the real PostgreSQL server: recording, reports, verification, migration."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import psycopg
import pytest

from tests.conftest import SEED


@pytest.fixture(autouse=True)
def sealing_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DIPLO_SEAL_KEY", str(tmp_path / "seal.pem"))


def schema_of(url: str) -> str:
    return url.rsplit("schema=", 1)[1]


def test_a_clerk_session_on_postgresql(diplo: Any, pg_store: str, tmp_path: Path) -> None:
    views = str(tmp_path / "views.db")
    assert "23 new" in diplo("import", str(SEED), "--store", pg_store, "--views", views).stdout
    assert (
        "0 new, 23 skipped"
        in diplo("import", str(SEED), "--store", pg_store, "--views", views).stdout
    )
    figures = json.loads(
        diplo(
            "report",
            "partnership",
            "JP",
            "UZ",
            "--format",
            "json",
            "--store",
            pg_store,
            "--views",
            views,
        ).stdout
    )["figures"]
    assert (figures["meetings"], figures["grants"], figures["projects"]) == ("1", "3", "1")
    assert diplo("verify", "--store", pg_store).exit_code == 0


def test_postgresql_refuses_update_delete_and_truncate(
    diplo: Any, pg_store: str, postgres: str
) -> None:
    diplo("import", str(SEED), "--store", pg_store, "--no-views")
    table = f'"{schema_of(pg_store)}".ledger_events'
    with psycopg.connect(postgres, autocommit=True) as conn:
        for statement in (
            f"UPDATE {table} SET topic = 'x'",
            f"DELETE FROM {table}",
            f"TRUNCATE {table}",
        ):
            with pytest.raises(psycopg.Error, match="append-only"):
                conn.execute(statement)


def test_tampering_on_postgresql_is_named(diplo: Any, pg_store: str, postgres: str) -> None:
    diplo("import", str(SEED), "--store", pg_store, "--no-views")
    table = f'"{schema_of(pg_store)}".ledger_events'
    with psycopg.connect(postgres, autocommit=True) as conn:
        conn.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        conn.execute(
            f"UPDATE {table} SET state = replace(convert_from(state, 'UTF8'), "
            "'Sojitz', 'Sojitx')::bytea WHERE notification_id = 4"
        )
    result = diplo("verify", "--store", pg_store)
    assert result.exit_code == 3 and "position 4: the stored event does not match" in result.stderr


def test_an_unreachable_server_is_a_clear_error(diplo: Any) -> None:
    result = diplo("log", "--store", "postgresql://nobody@127.0.0.1:1/none")
    assert result.exit_code == 1
    assert "cannot connect to PostgreSQL" in result.stderr and "Traceback" not in result.output


@pytest.mark.parametrize("direction", ["sqlite-to-postgresql", "postgresql-to-sqlite"])
def test_migrate_preserves_keys_order_and_hashes(
    diplo: Any, store: str, pg_store: str, tmp_path: Path, direction: str
) -> None:
    source, target = (store, pg_store) if direction == "sqlite-to-postgresql" else (pg_store, store)
    if direction == "postgresql-to-sqlite":
        Path(store).unlink()  # migrate creates the target
    diplo("import", str(SEED), "--store", source, "--no-views")
    diplo(
        "correct",
        "uza-676233/meeting",
        "--set",
        "place=Tashkent",
        "--reason",
        "shorter",
        "--store",
        source,
        "--views",
        str(tmp_path / "v.db"),
    )
    result = diplo("migrate", "--from", source, "--to", target)
    assert result.exit_code == 0, result.output
    assert "copied 24 events" in result.stdout
    assert diplo("export", "--store", target).stdout == diplo("export", "--store", source).stdout
    roots = [
        diplo("verify", "--store", s).stdout.split("Merkle root")[1].split()[0]
        for s in (source, target)
    ]
    assert roots[0] == roots[1]
    assert "copied 0 events" in diplo("migrate", "--from", source, "--to", target).stdout
