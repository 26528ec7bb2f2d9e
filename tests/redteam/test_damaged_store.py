"""Hole 5 (verify): a store with bytes flipped mid-file ("database disk image is malformed")
made `verify` crash with a traceback and exit 1, or pass when the damage was in an index.
Now any damaged page, of a table or an index or the schema, is one line and exit 3."""

from __future__ import annotations

import os
import sqlite3
from typing import Any

import pytest

from tests.redteam.conftest import one_line_error

PAGE = 4096


def flip_page(store: str, page: int) -> None:
    """Flip every seventh byte of one page (0-based), past the file header on page 0."""
    with open(store, "r+b") as handle:
        start = page * PAGE + (100 if page == 0 else 0)
        handle.seek(start)
        data = bytearray(handle.read(PAGE - (start % PAGE)))
        for i in range(0, len(data), 7):
            data[i] ^= 0x5A
        handle.seek(start)
        handle.write(data)


def pages(store: str) -> int:
    db = sqlite3.connect(store)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return os.path.getsize(store) // PAGE


def test_every_damaged_page_is_an_integrity_failure(diplo: Any, seeded: str) -> None:
    count = pages(seeded)
    with open(seeded, "rb") as handle:
        original = handle.read()
    assert count > 5
    for page in range(count):
        with open(seeded, "wb") as handle:
            handle.write(original)
        flip_page(seeded, page)
        message = one_line_error(diplo("verify", "--store", seeded))
        assert "store: the file is damaged" in message, (page, message)


@pytest.mark.parametrize("what", ["table", "index"])
def test_damage_names_itself_and_the_remedy(diplo: Any, seeded: str, what: str) -> None:
    pages(seeded)
    db = sqlite3.connect(seeded)
    name = "stored_events" if what == "table" else "stored_events_key"
    (root,) = db.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (name,)).fetchone()
    db.close()
    flip_page(seeded, root - 1)
    message = one_line_error(diplo("verify", "--store", seeded))
    assert "restore it from a backup" in message
