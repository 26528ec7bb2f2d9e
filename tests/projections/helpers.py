"""Reading views databases: whole, to compare them table by table, or by one query."""

from __future__ import annotations

import sqlite3
from typing import Any

from diplo.domain.app.ledger import Ledger
from diplo.projections.runner import open_views
from diplo.projections.tables import TABLES


def dump(path: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every view table (and the tracking position), sorted."""
    db = sqlite3.connect(path)
    try:
        tables = {
            t.name: sorted(db.execute(f'SELECT * FROM "{t.name}"').fetchall(), key=repr)
            for t in TABLES
        }
        tables["_tracking"] = db.execute("SELECT * FROM _tracking").fetchall()
        return tables
    finally:
        db.close()


def rows(path: str, sql: str) -> list[tuple[Any, ...]]:
    """The rows one query reads from the views file at ``path``."""
    db = sqlite3.connect(path)
    try:
        return db.execute(sql).fetchall()
    finally:
        db.close()


def catch_up(ledger: Ledger, path: str) -> None:
    """Bring the views at ``path`` up to the ledger's head, as every write does."""
    open_views(ledger, path).close()
