"""The SQLite store: eventsourcing's SQLite application recorder with a unique key column, a
content hash and a hash chain per row, and triggers that refuse UPDATE and DELETE.

What it shares with the PostgreSQL store (the interface, sessions, the stored record and the
mapper) lives beside it: interface.py, sessions.py, records.py, mapper.py.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any
from uuid import UUID

from eventsourcing.persistence import (
    DatabaseError,
    IntegrityError,
    OperationalError,
    StoredEvent,
)
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor, SQLiteDatastore

from diplo.domain.integrity import chain
from diplo.domain.store.interface import KeyRow, ScanRow, require_keys
from diplo.domain.store.plain import SCAN_PAGE
from diplo.domain.store.sessions import SessionRecorder, chunked


def _persistence_error(error: BaseException) -> BaseException:
    """sqlite3 errors as eventsourcing's, so callers handle one family."""
    mapping = [
        (sqlite3.IntegrityError, IntegrityError),
        (sqlite3.OperationalError, OperationalError),
        (sqlite3.DatabaseError, DatabaseError),
    ]
    for raw_class, ours in mapping:
        if isinstance(error, raw_class):
            return ours(error)
    return error


APPEND_ONLY_SQL = [
    "CREATE TRIGGER IF NOT EXISTS {t}_no_update BEFORE UPDATE ON {t} "
    "BEGIN SELECT RAISE(ABORT, 'diplo: stored events are append-only'); END",
    "CREATE TRIGGER IF NOT EXISTS {t}_no_delete BEFORE DELETE ON {t} "
    "BEGIN SELECT RAISE(ABORT, 'diplo: stored events are append-only'); END",
]


class _SQLiteSession:
    """Stands in for eventsourcing's datastore in the thread whose session is open: every
    transaction runs on the session's connection, inside its one open transaction."""

    def __init__(self, datastore: SQLiteDatastore, raw: sqlite3.Connection) -> None:
        self._datastore = datastore
        self._raw = raw

    @contextmanager
    def transaction(self, *, commit: bool) -> Iterator[SQLiteCursor]:
        try:
            yield SQLiteCursor(self._raw.cursor())
        except sqlite3.Error as error:
            raise _persistence_error(error) from error

    def __getattr__(self, name: str) -> Any:
        return getattr(self._datastore, name)


class LedgerRecorder(SessionRecorder, SQLiteApplicationRecorder):
    """eventsourcing's SQLite application recorder, plus a unique key column and triggers."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        t = self.events_table_name
        self.insert_events_statement = (
            f"INSERT INTO {t} (rowid, originator_id, originator_version, topic, state, key, "
            "content_hash, chain) VALUES (?,?,?,?,?,?,?,?)"
        )

    def construct_create_table_statements(self) -> list[str]:
        t = self.events_table_name
        return [
            f"CREATE TABLE IF NOT EXISTS {t} (originator_id TEXT, originator_version INTEGER, "
            "topic TEXT, state BLOB, key TEXT NOT NULL, content_hash TEXT NOT NULL, "
            "chain TEXT NOT NULL, PRIMARY KEY (originator_id, originator_version))",
            f"CREATE UNIQUE INDEX IF NOT EXISTS {t}_key ON {t} (key)",
            *(sql.format(t=t) for sql in APPEND_ONLY_SQL),
        ]

    @contextmanager
    def _open_session(self, shared: SQLiteDatastore, *, commit: bool) -> Iterator[_SQLiteSession]:
        """``BEGIN IMMEDIATE`` takes SQLite's write lock first, waiting out the busy timeout,
        so writers in other processes queue instead of failing."""
        with shared.get_connection(commit=True) as connection:
            raw = connection._sqlite_conn  # noqa: SLF001 - eventsourcing offers no IMMEDIATE
            try:
                raw.execute("BEGIN IMMEDIATE")
                yield _SQLiteSession(shared, raw)
                raw.execute("COMMIT" if commit else "ROLLBACK")
            except BaseException as error:
                if raw.in_transaction:
                    raw.rollback()
                mapped = _persistence_error(error)
                if mapped is error:
                    raise
                raise mapped from error

    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> list[int]:
        """Append in this thread's open session, or else in a session of their own."""
        require_keys(stored_events)
        if self.in_session():
            with self.datastore.transaction(commit=True) as cursor:
                return self._insert_events(cursor, stored_events)
        with self.session():
            return self.insert_events(stored_events)

    def _insert_events(self, c: SQLiteCursor, stored_events: Any, **_: Any) -> list[int]:
        """Each row's position is given explicitly (head + 1): a v2 leaf commits to it."""
        c.execute(f"SELECT rowid, chain FROM {self.events_table_name} ORDER BY rowid DESC LIMIT 1")
        head = c.fetchone()
        position, link = (head[0], bytes.fromhex(head[1])) if head else (0, chain.GENESIS)
        first, rows = position + 1, list[tuple[Any, ...]]()
        event_link, new_link = chain.event_link, chain.new_link
        add, v2 = rows.append, chain.V2
        for s in stored_events:
            position += 1
            stream, version, topic = s.originator_id.hex, s.originator_version, s.topic
            state, key, content = s.state, s.key, s.content_hash
            if s.leaf_format == v2:
                link = new_link(link, position, stream, version, topic, key, content, state)
            else:  # a migrated row keeps the leaf it was written with
                link = event_link(link, position, s, stream)
            add((position, stream, version, topic, state, key, content, link.hex()))
        c.executemany(self.insert_events_statement, rows)  # one statement, stepped per row
        return list(range(first, position + 1))

    def select_keys(self, keys: list[str]) -> dict[str, KeyRow]:
        """The stored rows of those keys that exist."""
        found: dict[str, KeyRow] = {}
        for chunk in chunked(keys, 500):
            marks = ",".join("?" * len(chunk))
            with self.datastore.transaction(commit=False) as c:
                c.execute(
                    f"SELECT rowid, key, content_hash, originator_id, topic, state "
                    f"FROM {self.events_table_name} WHERE key IN ({marks})",
                    chunk,
                )
                for row in c.fetchall():
                    found[row["key"]] = KeyRow(
                        row["key"],
                        row["content_hash"],
                        row["rowid"],
                        UUID(row["originator_id"]),
                        row["topic"],
                        row["state"],
                    )
        return found

    def existing_streams(self, originator_ids: list[UUID]) -> set[UUID]:
        """Which of these streams hold at least one event."""
        found: set[UUID] = set()
        for ids in chunked(originator_ids, 500):
            chunk = [i.hex for i in ids]
            with self.datastore.transaction(commit=False) as c:
                c.execute(
                    f"SELECT DISTINCT originator_id FROM {self.events_table_name} "
                    f"WHERE originator_id IN ({','.join('?' * len(chunk))})",
                    chunk,
                )
                found.update(UUID(row["originator_id"]) for row in c.fetchall())
        return found

    def scan_page(self, after: int, limit: int) -> list[ScanRow]:
        """Raw rows after a position (see ``ScanRow``): no decoding."""
        with self.datastore.transaction(commit=False) as c:
            c.sqlite_cursor.row_factory = None  # plain tuples: this is verify's hot path
            c.execute(SCAN_PAGE.format(table=self.events_table_name), (after, limit))
            return c.fetchall()  # type: ignore[no-any-return]

    def recorded_ats(self) -> list[tuple[int, str]]:
        """(position, recorded_at) of every event, read inside the stored JSON."""
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                f"SELECT rowid, json_extract(CAST(state AS TEXT), '$.recorded_at') "
                f"FROM {self.events_table_name} ORDER BY rowid"
            )
            return [(row[0], row[1]) for row in c.fetchall()]

    def all_keys(self) -> list[str]:
        with self.datastore.transaction(commit=False) as c:
            c.sqlite_cursor.row_factory = None
            c.execute(f"SELECT key FROM {self.events_table_name}")
            return [row[0] for row in c.fetchall()]

    def all_streams(self) -> set[UUID]:
        with self.datastore.transaction(commit=False) as c:
            c.sqlite_cursor.row_factory = None
            c.execute(f"SELECT DISTINCT originator_id FROM {self.events_table_name}")
            return {UUID(row[0]) for row in c.fetchall()}

    def stream_exists(self, originator_id: UUID) -> bool:
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                f"SELECT 1 FROM {self.events_table_name} WHERE originator_id=? LIMIT 1",
                (originator_id.hex,),
            )
            return c.fetchone() is not None
