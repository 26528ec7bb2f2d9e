"""Attack: delete a stored row (the no-delete trigger dropped first), and hope that the
readers of the log, which do not verify the hash chain, show the log without it.

Positions are given as head + 1, so a hole in them is a deleted row. Every reader of the
whole log (log, export in each format, audit, the views' rebuild and catch-up, a report
that builds its views) stops there: exit 3, naming the missing position, as `diplo verify`
does. A reader of one topic's events may skip positions, and is not asked.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from diplo.domain.integrity.chain import holes, missing
from tests.conftest import write_jsonl
from tests.redteam.conftest import one_line_error, tamper

READERS = [
    ["log"],
    ["log", "--format", "jsonl"],
    ["log", "--as-of", "20"],
    ["export"],
    ["export", "--format", "iati"],
    ["export", "--format", "cameo"],
    ["audit"],
    ["views", "rebuild"],
    ["report", "partnership", "JP", "UZ"],
]


@pytest.mark.parametrize("position", [1, 7, 20])
@pytest.mark.parametrize("command", READERS, ids=" ".join)
def test_a_deleted_row_stops_every_reader_of_the_whole_log(
    diplo: Any, seeded: str, command: list[str], position: int
) -> None:
    tamper(seeded, f"DELETE FROM stored_events WHERE rowid = {position}")
    error = one_line_error(diplo(*command, "--store", seeded))
    assert error.startswith(f"error: position {position}: missing — the log jumps from")
    assert f"to {position + 1} (a row was deleted)" in error


def test_a_row_deleted_after_the_views_stops_their_catch_up(
    diplo: Any, seeded: str, tmp_path: Path
) -> None:
    """The views hold the first 23 events; three more are recorded without them, and the
    middle one deleted: catching up meets the hole and stops, the views still at 23."""
    assert diplo("views", "rebuild", "--store", seeded).exit_code == 0
    later = [
        {
            "type": "OrganizationRegistered",
            "org": f"org-{n}",
            "name": f"Org {n}",
            "kind": "agency",
            "country": "UZ",
        }
        for n in range(3)
    ]
    source = write_jsonl(tmp_path / "later.jsonl", *later)
    assert diplo("import", source, "--store", seeded, "--no-views").exit_code == 0
    tamper(seeded, "DELETE FROM stored_events WHERE rowid = 25")
    error = one_line_error(diplo("views", "update", "--store", seeded))
    assert error.startswith("error: position 25: missing — the log jumps from 24 to 26")
    views = sqlite3.connect(str(Path(seeded).with_suffix(".views.db")))
    assert views.execute("SELECT MAX(position) FROM _log").fetchone() == (23,)
    views.close()


@given(start=st.integers(1, 10**6), skipped=st.lists(st.integers(0, 2), max_size=60))
def test_holes_names_the_first_position_a_page_of_the_log_lacks(
    start: int, skipped: list[int]
) -> None:
    """A page of positions read in order from ``start`` (each skipping ``skipped`` before
    it): none missing exactly when none skips; else the first missing, and the one found."""
    positions, at = [], start
    for skip in skipped:
        positions.append(at + skip)
        at += skip + 1
    parted = next((i for i, position in enumerate(positions) if position != start + i), None)
    if parted is None:
        assert holes(start, positions) is None
    else:
        assert holes(start, positions) == missing(start + parted, positions[parted])
