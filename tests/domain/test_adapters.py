"""sqlite3 binds None as it always did, only without the slow adapter lookup."""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from diplo.domain.store.adapters import bind_plainly
from diplo.projections.views import Views

KEY = (type(None), sqlite3.PrepareProtocol)


@pytest.fixture
def no_adapters() -> Iterator[None]:
    """Each test starts with no adapter for None, and leaves it as it found it."""
    saved = sqlite3.adapters.pop(KEY, None)
    yield
    sqlite3.adapters.pop(KEY, None)
    if saved is not None:
        sqlite3.adapters[KEY] = saved


@pytest.mark.usefixtures("no_adapters")
def test_null_is_stored_as_without_the_adapter() -> None:
    rows = [(None, b"\x00state\xff", 1, "text"), (None, b"", 2, "")]
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE t (a, b, c, d)")
    db.executemany("INSERT INTO t VALUES (?, ?, ?, ?)", rows)
    bind_plainly()
    db.executemany("INSERT INTO t VALUES (?, ?, ?, ?)", rows)
    stored = db.execute("SELECT a, typeof(a), b, typeof(b), c, d FROM t").fetchall()
    assert stored[:2] == stored[2:]
    assert stored[0] == (None, "null", b"\x00state\xff", "blob", 1, "text")


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="3.12 looks up without the error")
@pytest.mark.usefixtures("no_adapters")
def test_opening_views_registers_it_on_python_3_11(tmp_path: Path) -> None:
    Views(str(tmp_path / "views.db")).close()
    assert KEY in sqlite3.adapters


@pytest.mark.usefixtures("no_adapters")
def test_an_adapter_the_program_registered_is_kept() -> None:
    def mine(value: None) -> str:
        return "nothing"

    sqlite3.register_adapter(type(None), mine)
    bind_plainly()
    assert sqlite3.adapters[KEY] is mine
