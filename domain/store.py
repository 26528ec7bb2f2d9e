"""Opening a ledger from ``--store``: a SQLite file path (default ``ledger.db``)."""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path

from domain.errors import StoreError
from domain.ledger import Ledger

DEFAULT_STORE = "ledger.db"


def resolve_store(store: str | None) -> str:
    """``--store``, else ``DIPLO_STORE``, else ``ledger.db`` in the current directory."""
    return store or os.environ.get("DIPLO_STORE") or DEFAULT_STORE


def open_ledger(store: str | None = None, *, create: bool = False) -> Ledger:
    """Open the ledger at ``store``; create it only when asked (``diplo init``)."""
    location = resolve_store(store)
    if location.startswith(("postgres://", "postgresql://")):
        raise StoreError("PostgreSQL stores are not supported yet; use a SQLite file path")
    path = Path(location)
    if not create:
        _require_ledger(path)
    elif path.parent and not path.parent.exists():
        raise StoreError(f"cannot create {path}: folder {path.parent} does not exist")
    env = {
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        "SQLITE_DBNAME": str(path),
        "CREATE_TABLE": "y" if create else "n",
    }
    try:
        return Ledger(env=env)
    except Exception as error:  # eventsourcing wraps sqlite errors in several classes
        raise StoreError(f"cannot open the ledger at {path}: {error}") from None


def _require_ledger(path: Path) -> None:
    if not path.exists():
        raise StoreError(f"no ledger at {path}; create one with `diplo init` "
                         "(or point --store / DIPLO_STORE at an existing one)")
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
            found = db.execute("SELECT 1 FROM sqlite_master WHERE name='stored_events'").fetchone()
    except sqlite3.DatabaseError as error:
        raise StoreError(f"{path} is not a diplo ledger: {error}") from None
    if not found:
        raise StoreError(f"{path} is not a diplo ledger (no stored_events table)")
