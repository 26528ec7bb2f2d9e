"""A SQLite ledger read with the standard library alone: no eventsourcing, no models.

A command that only reads (``log``, ``show``, a report) and finds its views current needs the
stored rows and a few facts about the store: its head, its id and the chain value at a
position. Opening the eventsourcing application for that cost more than the whole read.
It reads exactly what the recorder reads (the same table, the same columns, the same order);
``meta`` answers the id and chain questions for it as for a ``Ledger``, through the same
``Holder`` shape. Writers, PostgreSQL stores and anything else use ``open_ledger``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from diplo.domain.store.opening import (
    _refuse_sqlite_uri,
    _require_sqlite_ledger,
    is_postgres,
    read_only_uri,
    resolve_store,
)

TABLE = "stored_events"  # eventsourcing's SQLite application recorder's table
PAGE = 1000
# Raw rows after a position, for verify (``interface.ScanRow``): the recorder reads them alike.
SCAN_PAGE = (
    "SELECT rowid, originator_id, originator_version, topic, state, chain, key, content_hash "
    "FROM {table} WHERE rowid > ? ORDER BY rowid LIMIT ?"
)


class PlainLedger:
    """The rows of a SQLite ledger, only read. ``recorder`` and ``env`` give ``meta`` what it
    asks of a ledger (``recorder.datastore.transaction``, ``recorder.events_table_name``)."""

    env = {"PERSISTENCE_MODULE": "eventsourcing.sqlite"}
    events_table_name = TABLE

    def __init__(self, location: str) -> None:
        _refuse_sqlite_uri(location)
        path = Path(location)
        _require_sqlite_ledger(path)
        self.location = location
        # Opened for writing, though nothing is written: a read-only connection cannot remove
        # the WAL files of a WAL database when it closes, so it would leave them behind.
        uri = read_only_uri(path).removesuffix("?mode=ro") + "?mode=rw"
        self.connection = sqlite3.connect(uri, uri=True, timeout=60)
        self.connection.row_factory = sqlite3.Row
        self.recorder = self
        self.datastore = self

    @contextmanager
    def transaction(self, *, commit: bool) -> Iterator[sqlite3.Cursor]:
        """A cursor, as eventsourcing's datastore gives one (reads only: ``commit`` is moot)."""
        cursor = self.connection.cursor()
        try:
            yield cursor
        finally:
            cursor.close()

    def close(self) -> None:
        self.connection.close()

    def head(self) -> int:
        """The position of the last event (0 for an empty ledger)."""
        row = self.connection.execute(f"SELECT MAX(rowid) FROM {TABLE}").fetchone()
        return int(row[0] or 0)

    def rows(
        self, start: int = 1, stop: int | None = None, topics: list[str] | None = None
    ) -> Iterator[tuple[int, bytes]]:
        """``(position, state)`` of the stored events from ``start`` (to ``stop``, inclusive;
        only those of ``topics`` if given), in log order, a page at a time."""
        where = " AND rowid <= ?" if stop is not None else ""
        if topics:
            where += f" AND topic IN ({','.join('?' * len(topics))})"
        query = f"SELECT rowid, state FROM {TABLE} WHERE rowid >= ?{where} ORDER BY rowid LIMIT ?"
        while True:
            params: list[Any] = [start, *([stop] if stop is not None else []), *(topics or [])]
            page = self.connection.execute(query, [*params, PAGE]).fetchall()
            yield from ((row[0], row[1]) for row in page)
            if len(page) < PAGE:
                return
            start = page[-1][0] + 1

    def scan_page(self, after: int, limit: int) -> list[tuple[Any, ...]]:
        """Raw rows after a position, as plain tuples (see ``interface.ScanRow``)."""
        cursor = self.connection.cursor()
        cursor.row_factory = None
        try:
            return cursor.execute(SCAN_PAGE.format(table=TABLE), (after, limit)).fetchall()
        finally:
            cursor.close()

    def row_of(self, key: str) -> tuple[int, bytes] | None:
        """``(position, state)`` of the event stored under ``key``, if any."""
        row = self.connection.execute(
            f"SELECT rowid, state FROM {TABLE} WHERE key = ?", [key]
        ).fetchone()
        return None if row is None else (row[0], row[1])


def plain_ledger(store: str | None) -> PlainLedger | None:
    """The SQLite ledger at ``store`` (``--store``, ``DIPLO_STORE``, ``ledger.db``) opened for
    plain reading, or None where only the full path can open it: a PostgreSQL store, or one
    that cannot be opened (the full path then says why, in its words)."""
    location = resolve_store(store)
    if is_postgres(location):
        return None
    try:
        return PlainLedger(location)
    except Exception:
        return None
