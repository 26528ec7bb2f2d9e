"""Fixtures: real ledgers in temporary folders, the CLI runner, the seed example."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from diplo.cli.demo import seed_path
from diplo.cli.main import app
from diplo.domain.app.ledger import Ledger
from diplo.domain.store.opening import open_ledger
from diplo.events.catalog import parse_fact

SEED = seed_path()


@pytest.fixture
def store(tmp_path: Path) -> str:
    """The path of a new, empty ledger."""
    path = tmp_path / "ledger.db"
    open_ledger(str(path), create=True).close()
    return str(path)


PG_SERVER = os.environ.get("DIPLO_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")


def postgres_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_SERVER, connect_timeout=3):
            return True
    except Exception:
        return False


@pytest.fixture(scope="session")
def postgres() -> str:
    """The real PostgreSQL server; CI must have it (.ci/run starts it), elsewhere it may skip."""
    if not postgres_available():
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is not reachable at {PG_SERVER}")
        pytest.skip(f"PostgreSQL is not reachable at {PG_SERVER}")
    return PG_SERVER


@pytest.fixture
def pg_store(postgres: str) -> Iterator[str]:
    """A new, empty ledger in its own PostgreSQL schema, dropped afterwards."""
    import psycopg

    schema = f"t_{uuid.uuid4().hex[:16]}"
    url = f"{postgres}?schema={schema}"
    open_ledger(url, create=True).close()
    yield url
    with psycopg.connect(postgres, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture(params=["sqlite", "postgresql"])
def any_store(request: pytest.FixtureRequest) -> str:
    """Store-level behaviour must hold on both stores: each such test runs on each."""
    fixture = "store" if request.param == "sqlite" else "pg_store"
    return str(request.getfixturevalue(fixture))


@pytest.fixture
def ledger(any_store: str) -> Iterator[Ledger]:
    opened = open_ledger(any_store)
    yield opened
    opened.close()


@pytest.fixture
def diplo() -> Any:
    """Run the CLI in-process: ``diplo("log", "--format", "json")``."""
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None) -> Any:
        return runner.invoke(app, list(args), input=input)

    return invoke


def facts(*bodies: dict[str, Any]) -> list[tuple[str, Any]]:
    return [(f"test:{n}", parse_fact(body)) for n, body in enumerate(bodies, 1)]


def store_digest(store: str) -> str:
    """A hash of every file of the store (database and WAL), to prove nothing was written."""
    digest = hashlib.sha256()
    for suffix in ("", "-wal"):
        path = Path(store + suffix)
        digest.update(path.read_bytes() if path.exists() else b"absent")
    return digest.hexdigest()


def write_jsonl(path: Path, *bodies: dict[str, Any]) -> str:
    path.write_text("".join(json.dumps(b, ensure_ascii=False) + "\n" for b in bodies))
    return str(path)


ORG = {
    "type": "OrganizationRegistered",
    "org": "moh-uz",
    "name": "Ministry of Health",
    "country": "UZ",
    "kind": "ministry",
}
PERSON = {
    "type": "PersonRegistered",
    "person": "hatori-takashi",
    "name": "Hatori Takashi",
    "aliases": ["Takashi Hatori"],
    "country": "JP",
}
GRANT = {
    "type": "GrantAgreementSigned",
    "grant": "g1",
    "donor": "JP",
    "recipient": "moh-uz",
    "purpose": "Equip a hospital",
    "occurred_on": "2025-03-15",
    "amount": {"value": "10000000", "currency": "JPY"},
}


# A ledger written by diplo 0.1 (before the package moved), with its signed checkpoint and key.
LEDGER_0_1 = Path(__file__).parent / "fixtures" / "ledger-0.1"


@pytest.fixture
def old_ledger(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A private copy of the 0.1 ledger, its checkpoint and its public key, side by side."""
    monkeypatch.setenv("DIPLO_SEAL_KEY", str(tmp_path / "keys" / "seal.pem"))
    for name in ("ledger.db", "checkpoint.json", "seal-key.pub"):
        shutil.copy(LEDGER_0_1 / name, tmp_path / name)
    return str(tmp_path / "ledger.db")


def verify_old(diplo: Any, store: str, beside: str | None = None) -> Any:
    """``diplo verify`` of ``store`` against the 0.1 checkpoint and key copied beside
    ``beside`` (the old ledger; by default ``store`` itself)."""
    folder = Path(beside or store).parent
    return diplo(
        "verify",
        "--store",
        store,
        "--checkpoint",
        str(folder / "checkpoint.json"),
        "--public-key",
        str(folder / "seal-key.pub"),
    )
