"""The attacker's toolkit: a seeded ledger, write access to its file, and the operator's key.

Each red-team module is one class of attack; each test is an attack that succeeded before
the fix and must now be caught (exit 3, naming what was altered) or refused.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from diplo.domain.integrity import chain
from tests.conftest import SEED


@pytest.fixture(autouse=True)
def sealing_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The operator's configured key (DIPLO_SEAL_KEY), private to this test."""
    key = tmp_path / "keys" / "seal.pem"
    monkeypatch.setenv("DIPLO_SEAL_KEY", str(key))
    return key


@pytest.fixture
def seeded(diplo: Any, store: str) -> str:
    """A ledger holding the 23 events of the seed example."""
    assert diplo("import", str(SEED), "--store", store, "--no-views").exit_code == 0
    return store


def tamper(store: str, *statements: str, params: tuple[Any, ...] = ()) -> None:
    """What anyone with write access to the file can do: drop the guards, then edit rows."""
    db = sqlite3.connect(store)
    db.execute("DROP TRIGGER IF EXISTS stored_events_no_update")
    db.execute("DROP TRIGGER IF EXISTS stored_events_no_delete")
    for statement in statements:
        db.execute(statement, params if "?" in statement else ())
    db.commit()
    db.close()


def swap(store: str, column: str, a: int, b: int) -> tuple[str, str]:
    """Swap one column between rows ``a`` and ``b`` (through a placeholder: keys are unique);
    returns the values as they were at ``a`` and ``b``."""
    db = sqlite3.connect(store)
    first, second = (
        db.execute(f"SELECT {column} FROM stored_events WHERE rowid = ?", (n,)).fetchone()[0]
        for n in (a, b)
    )
    db.close()
    tamper(
        store,
        f"UPDATE stored_events SET {column} = 'placeholder' WHERE rowid = {a}",
        f"UPDATE stored_events SET {column} = '{first}' WHERE rowid = {b}",
        f"UPDATE stored_events SET {column} = '{second}' WHERE rowid = {a}",
    )
    return first, second


def rechain(store: str, form_of_row: Any = lambda position: chain.V2) -> None:
    """The forger's last step: recompute every link, so the chain alone looks intact.
    ``form_of_row`` picks the leaf format the forger writes each row's link with."""
    db = sqlite3.connect(store)
    db.execute("DROP TRIGGER IF EXISTS stored_events_no_update")
    link = chain.GENESIS
    rows = db.execute(
        "SELECT rowid, originator_id, originator_version, topic, key, content_hash, state "
        "FROM stored_events ORDER BY rowid"
    ).fetchall()
    for row in rows:
        link = chain.next_link(link, chain.leaf(form_of_row(row[0]), *row))
        db.execute("UPDATE stored_events SET chain = ? WHERE rowid = ?", (link.hex(), row[0]))
    db.commit()
    db.close()


def one_line_error(result: Any) -> str:
    """The refusal: exit 3, one line on stderr, never a traceback."""
    assert result.exit_code == 3, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return str(lines[0])
