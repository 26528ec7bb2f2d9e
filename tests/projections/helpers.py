"""Reading whole views databases, to compare them table by table."""

from __future__ import annotations

import sqlite3
from typing import Any

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
