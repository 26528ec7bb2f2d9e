"""Views belong to one store: a views file says which ledger it was built from and the chain
value at its tracked position, and is read only while both still match the store.

A views file that no longer matches (another ledger's, or one built before ``ledger.db`` was
restored from a backup) would show events the ledger does not hold and skip ones it does;
it is rebuilt, never read. The chain value at position N commits to every row up to N, so a
match means the views were built from exactly the rows the store holds there.
"""

from __future__ import annotations

import re
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qs, quote, urlsplit

from diplo.domain.store.meta import Holder
from diplo.events.errors import LedgerError

SQLITE_HEADER = b"SQLite format 3\x00"


@dataclass(frozen=True)
class Binding:
    """What a views file was built from: the ledger's id and the ``chain`` value of the store
    row at the tracked position."""

    ledger_id: str
    chain: str


def default_views_path(store: str) -> str:
    """Beside a SQLite store (``ledger.db`` → ``ledger.views.db``); for PostgreSQL, a file in
    the current folder named after the server, database and schema, so two ledgers used from
    one folder never share one."""
    if "://" not in store:
        path = Path(store)
        return str(path.with_name(path.stem + ".views.db"))
    url = urlsplit(store)
    parts = [
        url.hostname or "127.0.0.1",
        str(url.port or 5432),
        url.path.lstrip("/") or "postgres",
        parse_qs(url.query).get("schema", ["public"])[0],
    ]
    readable = ".".join(re.sub(r"[^A-Za-z0-9_-]", "_", p) for p in parts)
    import hashlib

    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:8]  # the exact names
    return f"ledger.{readable}.{digest}.views.db"


def views_path(store: str, views: str | None = None) -> str:
    """``--views``, else the default for the store (see ``default_views_path``)."""
    return views or default_views_path(store)


def tracked_in(db: Any, application: str) -> int | None:
    """The position a views database is tracked at (``db``: anything with ``execute``)."""
    row = db.execute("SELECT position FROM _tracking WHERE name = ?", [application]).fetchone()
    return row[0] if row else None


def binding_of(db: Any) -> Binding | None:
    """The ledger a views database was built from, if it says (files of diplo 0.1 do not)."""
    found = dict(db.execute("SELECT name, value FROM _binding").fetchall())
    if not found.get("ledger_id") or not found.get("chain"):
        return None
    return Binding(found["ledger_id"], found["chain"])


class Store(Holder, Protocol):
    """What ``mismatch`` asks of a ledger: a ``Ledger``, or a SQLite store read plainly."""

    def head(self) -> int: ...


class Tracked(Protocol):
    """What ``mismatch`` asks of views: a ``Views``, or views read directly."""

    def max_tracking_id(self) -> int | None: ...

    def binding(self) -> Binding | None: ...


def mismatch(ledger: Store, views: Tracked) -> str | None:
    """Why ``views`` may not be read for ``ledger`` (None when they match)."""
    from diplo.domain.store.meta import chain_at, ledger_id

    tracked = views.max_tracking_id() or 0
    if tracked == 0:
        return None  # no rows: nothing that could be another ledger's
    bound = views.binding()
    if bound is None:
        return "they do not say which ledger they were built from (an older diplo made them)"
    if bound.ledger_id != ledger_id(ledger):
        return "they were built from another ledger"
    head = ledger.head()
    if tracked > head:
        return f"they are at position {tracked}, past the ledger's last event ({head})"
    if bound.chain != chain_at(ledger, tracked):
        return (
            f"the ledger's events up to position {tracked} are not the ones they were built "
            "from (was the store restored from a backup?)"
        )
    return None


class ForeignViewsFile(LedgerError):
    """``--views`` names a file that is not a views file (the ledger itself, say)."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"--views {path}: {reason}; give the path of a views file")
        self.reason = reason


def refuse_foreign(path: str) -> None:
    """Never write into, nor replace, a file that holds something other than views."""
    reason = foreign_file(path)
    if reason:
        raise ForeignViewsFile(path, reason)


def foreign_file(path: str) -> str | None:
    """Why ``path`` holds something other than views (None if it is a views file, is empty,
    or is named like one): such a file is never written into nor replaced. A damaged views
    file is no longer SQLite, so any other file that is not SQLite counts as someone else's
    unless its name says views (``*.views.db``)."""
    target = Path(path)
    if not target.is_file() or target.stat().st_size == 0:
        return None
    with target.open("rb") as stream:
        sqlite = stream.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    if not sqlite:
        return None if target.name.endswith(".views.db") else "it is not a SQLite file"
    try:
        uri = f"file:{quote(str(target.absolute()))}?mode=ro"
        with closing(sqlite3.connect(uri, uri=True)) as db:
            tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
    except sqlite3.Error:
        return None  # unreadable: opening it reports why
    if not tables or "_tracking" in tables:
        return None
    if "stored_events" in tables:
        return "it is a ledger, not a views file"
    return "it is a SQLite database but not a diplo views file"
