"""A ledger written by an earlier version opens, verifies, exports and rebuilds identically.

The fixture in tests/fixtures/ledger-0.1 was written by diplo 0.1, whose modules had other
names: its rows hold those names inside their hashed bytes. Moving or renaming a module must
never orphan them.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from tests.conftest import LEDGER_0_1, verify_old


def views_rows(views: Path) -> dict[str, list[dict[str, Any]]]:
    """Every row of every views table (bookkeeping tables left out), in a stable order."""
    db = sqlite3.connect(views)
    names = [
        row[0]
        for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " AND name NOT LIKE '\\_%' ESCAPE '\\' ORDER BY name"
        )
    ]
    out = {}
    for name in names:
        columns = [row[1] for row in db.execute(f'PRAGMA table_info("{name}")')]
        rows = [
            dict(zip(columns, row, strict=True)) for row in db.execute(f'SELECT * FROM "{name}"')
        ]
        out[name] = sorted(rows, key=lambda r: json.dumps(r, sort_keys=True, default=str))
    db.close()
    return out


def test_an_old_ledger_verifies_against_its_signed_checkpoint(diplo: Any, old_ledger: str) -> None:
    result = verify_old(diplo, old_ledger)
    assert result.exit_code == 0, result.output
    root = (LEDGER_0_1 / "merkle-root.txt").read_text().strip()
    assert root in result.output.replace("\n", "")


def test_an_old_ledger_exports_byte_for_byte_as_it_did(diplo: Any, old_ledger: str) -> None:
    result = diplo("export", "--store", old_ledger)
    assert result.exit_code == 0, result.output
    assert result.output == (LEDGER_0_1 / "export.jsonl").read_text()


def test_an_old_ledger_rebuilds_the_same_views(diplo: Any, old_ledger: str) -> None:
    """Every row and every value of 0.1's views again; later versions only add columns
    (sources, money qualifiers, date precision), and one meaning was corrected on purpose: a
    date known to the month or year (``2025-06``) is imprecise, no longer flagged uncertain."""
    result = diplo("views", "rebuild", "--store", old_ledger)
    assert result.exit_code == 0, result.output
    expected = json.loads((LEDGER_0_1 / "views.json").read_text())
    actual = views_rows(Path(old_ledger).with_suffix(".views.db"))
    for table, rows in expected.items():
        if table == "partnership_funding":
            continue  # reshaped per kind of money (granted, lent…); 0.1 had no amounts here
        # Only 0.1's columns, in 0.1's order: rows are sorted on those, so a column added
        # later (timeline.cameo) cannot reorder them.
        columns = list(rows[0]) if rows else []
        kept = sorted(
            ({column: row[column] for column in columns} for row in actual[table]),
            key=lambda r: json.dumps(r, sort_keys=True, default=str),
        )
        assert len(kept) == len(rows), table
        if table == "timeline":
            for row in rows:
                row["uncertain"] = int(row["occurred_on"].endswith(("?", "~", "%")))
        rows = sorted(rows, key=lambda r: json.dumps(r, sort_keys=True, default=str))
        assert json.loads(json.dumps(kept, default=str)) == rows, table


def test_an_old_ledger_takes_new_events_and_still_verifies(diplo: Any, old_ledger: str) -> None:
    correction = diplo(
        "correct",
        "uza-676233/project/samarkand-clinic",
        "--set",
        "beds=900",
        "--reason",
        "a later report",
        "--store",
        old_ledger,
    )
    assert correction.exit_code == 0, correction.output
    shown = diplo(
        "show", "uza-676233/project/samarkand-clinic", "--format", "json", "--store", old_ledger
    )
    assert shown.exit_code == 0, shown.output
    assert [c["changes"] for c in json.loads(shown.output)["corrections"]] == [
        {"beds": 850},
        {"beds": 900},
    ]
    verified = verify_old(diplo, old_ledger)
    assert verified.exit_code == 0, verified.output
