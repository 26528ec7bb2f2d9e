"""Reading views that are already current, without the projection machinery.

A read command catches the views up before it reads them (``runner.catch_up``). When they are
already current, that catching up changes nothing, and it is most of the command's time: it
imports sqlite-utils, eventsourcing and every event model. ``current_views`` asks the same
questions with the standard library (the same layout fingerprint, the same binding check,
tracked position equal to the store's head) and, only if every answer says nothing would
change, gives the views to read directly; otherwise the command takes the full path.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from diplo.projections.binding import Binding, binding_of, foreign_file, mismatch, tracked_in
from diplo.projections.fingerprint import views_layout, views_migrations

if TYPE_CHECKING:
    from diplo.domain.store.plain import PlainLedger

APPLICATION = "diplo"  # the tracking name (views.APPLICATION)


class ViewsDb:
    """What reports ask of the views database (``query`` and ``execute``, as sqlite-utils'
    ``Database`` answers them), over a plain connection that only reads."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.conn = connection
        self.position = 0  # the store's head, that the views were found current at

    def execute(self, sql: str, params: Any = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    def query(self, sql: str, params: Any = ()) -> Iterator[dict[str, Any]]:
        cursor = self.conn.execute(sql, params)
        names = [column[0] for column in cursor.description]
        for row in cursor:
            yield dict(zip(names, row, strict=True))

    def close(self) -> None:
        self.conn.close()


class CurrentViews:
    """An open views file as ``binding.mismatch`` asks about it."""

    def __init__(self, db: ViewsDb) -> None:
        self.db = db

    def max_tracking_id(self) -> int | None:
        return tracked_in(self.db.conn, APPLICATION)

    def binding(self) -> Binding | None:
        return binding_of(self.db.conn)


def current_views(ledger: PlainLedger, path: str) -> ViewsDb | None:
    """The views at ``path`` opened for reading, if they are current: made for this layout,
    bound to ``ledger``, and at its head. None whenever catching up could change anything
    or say anything (a missing, foreign, damaged, unmigrated or stale file): the full path
    handles it."""
    if not Path(path).is_file() or foreign_file(path):
        return None
    try:
        # mode=rw (never written): a read-only connection would leave the WAL files behind
        connection = sqlite3.connect(f"file:{_quoted(path)}?mode=rw", uri=True, timeout=60)
    except sqlite3.Error:
        return None
    db = ViewsDb(connection)
    try:
        # One read transaction from the check on: whatever a writer commits meanwhile, the
        # command reads the views as they were found current (a table's count and its rows)
        connection.execute("BEGIN")
        if _is_current(ledger, CurrentViews(db)):
            return db
    except sqlite3.Error:
        pass
    db.close()
    return None


def _is_current(ledger: PlainLedger, views: CurrentViews) -> bool:
    found = views.db.execute("SELECT fingerprint FROM _layout").fetchall()
    if found != [(views_layout(),)]:
        return False
    applied = views.db.execute(
        "SELECT name FROM _sqlite_migrations WHERE migration_set = 'diplo-views'"
    ).fetchall()
    if not set(views_migrations()) <= {name for (name,) in applied}:
        return False  # opening them would migrate them first
    if views.db.execute("SELECT 1 FROM _scope LIMIT 1").fetchone():
        return False  # a view of the past: the live views never hold a scope
    tracked = views.db.position = views.max_tracking_id() or 0
    return tracked == ledger.head() and mismatch(ledger, views) is None


def _quoted(path: str) -> str:
    from urllib.parse import quote

    return quote(str(Path(path).absolute()))
