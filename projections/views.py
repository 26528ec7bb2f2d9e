"""The views database (sqlite-utils): rows and the tracking position written in one transaction.

It is an eventsourcing ``TrackingRecorder``: a chunk of notifications is applied only if it
starts right after the tracked position, so a replayed event is refused, never counted twice.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from eventsourcing.persistence import IntegrityError, Notification, Tracking, TrackingRecorder
from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from diplo.domain.store.adapters import bind_plainly
from diplo.events.directory import Directory
from diplo.projections.binding import Binding, binding_of, tracked_in
from diplo.projections.chunk import Chunk
from diplo.projections.logrows import LogRows
from diplo.projections.lookup import read_registrations
from diplo.projections.tables import (
    TABLES,
    create_sql,
    datasette_metadata,
)

if TYPE_CHECKING:
    from diplo.domain.app.ledger import Ledger
    from diplo.projections.plan import Plan

APPLICATION = "diplo"
migrations = Migrations("diplo-views")


@migrations()
def m001_tables(db: Database) -> None:
    """The bookkeeping tables; the views tables and their column descriptions are made by
    ``_ensure_layout`` (for a new file as for one of an older layout)."""
    db.execute("CREATE TABLE IF NOT EXISTS _tracking (name TEXT PRIMARY KEY, position INTEGER)")
    db.execute("CREATE TABLE IF NOT EXISTS _scope (name TEXT PRIMARY KEY, value TEXT)")
    db.execute(
        'CREATE TABLE IF NOT EXISTS _columns ("table", "column", description, '
        'PRIMARY KEY ("table", "column"))'
    )


@migrations()
def m002_binding(db: Database) -> None:
    """Which ledger the rows come from, and its chain value at the tracked position."""
    db.execute("CREATE TABLE IF NOT EXISTS _binding (name TEXT PRIMARY KEY, value TEXT)")


class Views(TrackingRecorder):
    """Projections of the ledger, in one SQLite file."""

    def __init__(self, path: str, *, fast: bool = False) -> None:
        self._ledger_id: str | None = None
        self._log: LogRows | None = None
        bind_plainly()  # rows hold NULLs: see domain.store.adapters
        _write_datasette_metadata(path)
        self.db = Database(path)
        self.db.execute("PRAGMA busy_timeout=60000")  # other processes may be catching up too
        self.db.execute("PRAGMA journal_mode=" + ("OFF" if fast else "WAL"))
        self.db.execute("PRAGMA synchronous=" + ("OFF" if fast else "NORMAL"))
        migrations.apply(self.db)
        _ensure_layout(self.db)
        # Names and countries of registered parties: read from the views as events first ask
        # for them, not loaded whole (a rebuild, which reads nothing back, learns them all).
        self.directory = Directory()
        read_registrations(self.directory, self.db)

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def reading(self) -> Iterator[Database]:
        """The views in one read transaction: a report that walks a table twice (its count,
        then its rows) does not half see a catch-up another process commits meanwhile."""
        self.db.conn.execute("BEGIN")
        try:
            yield self.db
        finally:
            self.db.conn.rollback()  # it only read

    def binding(self) -> Binding | None:
        """The ledger these views were built from, if they say (files of diplo 0.1 do not)."""
        return binding_of(self.db)

    def _know_iati_org(self, ledger: Ledger) -> None:
        """Rows carry the IATI identifiers of the ledger's own reporting organisation."""
        from diplo.domain.store.meta import ledger_id
        from diplo.events.identifiers import ledger_reporting_org

        if self._ledger_id is None:
            self._ledger_id = ledger_id(ledger)
        if self._ledger_id and not self.directory.iati_org:
            self.directory.iati_org = ledger_reporting_org(self._ledger_id)

    def _bind(self, ledger: Ledger, position: int) -> None:
        """Record the ledger and its chain value at ``position``, in the caller's transaction."""
        from diplo.domain.store.meta import chain_at, ledger_id

        if self._ledger_id is None:
            self._ledger_id = ledger_id(ledger)
        self.db.conn.executemany(
            "INSERT OR REPLACE INTO _binding VALUES (?, ?)",
            [("ledger_id", self._ledger_id), ("chain", chain_at(ledger, position) or "")],
        )

    def log_rows(self) -> LogRows:
        """The log as followed so far: kept from one chunk to the next (a rebuild starts
        empty and never needs to read it back), forgotten if a chunk is rolled back."""
        if self._log is None:
            self._log = LogRows(self.db, empty=not self.max_tracking_id())
        return self._log

    def max_tracking_id(self, application_name: str = APPLICATION) -> int | None:
        return tracked_in(self.db, application_name)

    def insert_tracking(self, tracking: Tracking) -> None:
        tracked = self.max_tracking_id(tracking.application_name) or 0
        if tracking.notification_id <= tracked:
            raise IntegrityError(
                f"position {tracking.notification_id} is already applied (views are at {tracked})"
            )
        self.db.execute(
            "INSERT OR REPLACE INTO _tracking VALUES (?, ?)",
            [tracking.application_name, tracking.notification_id],
        )

    def apply(
        self, notifications: Sequence[Notification], ledger: Ledger, plan: Plan | None = None
    ) -> int:
        """Apply a chunk of consecutive notifications, and track its last position, atomically;
        return how many were new.

        The write lock is taken before the tracked position is read, so several processes
        catching up at once queue, and events another one applied are skipped, never repeated.
        With a ``plan`` (a rebuild), events are derived in their final corrected form and the
        derived rows are left for one ``refresh_all`` at the end.
        """
        self.db.conn.execute("BEGIN IMMEDIATE")
        try:
            tracked = self.max_tracking_id() or 0
            pending = [n for n in notifications if n.id > tracked]
            if pending and pending[0].id != tracked + 1:
                raise IntegrityError(f"views expect position {tracked + 1}, got {pending[0].id}")
            if pending:
                self._know_iati_org(ledger)
                chunk = Chunk(self, ledger, plan)
                for notification in pending:
                    chunk.apply(notification)
                chunk.finish()
                self.insert_tracking(Tracking(APPLICATION, pending[-1].id))
                self._bind(ledger, pending[-1].id)
                # Views of the past (`views rebuild --as-of`) caught up show it no longer
                self.db.conn.execute("DELETE FROM _scope WHERE name = ?", [AS_OF])
            self.db.conn.execute("COMMIT")
            return len(pending)
        except BaseException:
            self.db.conn.rollback()
            self._log = None  # what it learnt in the chunk was not written
            raise


AS_OF = "as of position"  # the scope (``_scope``) of views rebuilt as of a past position

# Bump when a rows function changes what it derives: existing views files are then rebuilt.
DERIVATION = 7  # 3: timeline.cameo, iati_identifier; 4: a retracted delivery's items are
# retracted; 5: pair figures are running totals (_funding_parts), moved by each change;
# 6: _log, what `diplo log` shows of each event; 7: its countries comma-separated


def layout() -> str:
    """A fingerprint of what the views hold: every table's columns, keys and indexes, and the
    derivation's version. Views files are disposable, so one made by other code is rebuilt
    rather than migrated column by column: a new type's table, or a new column, is there."""
    shape = [(t.name, list(t.columns), t.primary_key, t.indexes, t.storage) for t in TABLES]
    return hashlib.sha256(json.dumps([DERIVATION, shape]).encode()).hexdigest()[:16]


def of_another_layout(path: str) -> bool:
    """Whether the views file at ``path`` was made for another layout (by another version of
    diplo): opening it makes its tables again, empty (``_ensure_layout``), so a caller that
    would then derive every event rebuilds instead (``runner.catch_up``). Read only."""
    db = sqlite3.connect(path)
    try:
        return _another_layout(db)
    finally:
        db.close()


def _another_layout(conn: sqlite3.Connection) -> bool:
    """Whether the views in ``conn`` hold tables of another layout: fingerprinted by another,
    or tracked before fingerprints were kept (not new: a new file holds neither)."""
    tables = {n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    row = (
        conn.execute("SELECT fingerprint FROM _layout").fetchone() if "_layout" in tables else None
    )
    if row is not None:
        return bool(row[0] != layout())
    return "_tracking" in tables and conn.execute("SELECT 1 FROM _tracking").fetchone() is not None


def _ensure_layout(db: Database) -> None:
    """Recreate every table, empty and untracked, if the file was made for another layout;
    the next update then derives every event again (it equals a rebuild: property-tested)."""
    current = layout()
    db.execute("CREATE TABLE IF NOT EXISTS _layout (fingerprint TEXT)")
    row = db.execute("SELECT fingerprint FROM _layout").fetchone()
    if row is not None and row[0] == current:
        return
    with db.conn:
        if _another_layout(db.conn):
            existing = [
                name
                for (name,) in db.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' "
                    "AND name NOT LIKE 'sqlite_%'"
                ).fetchall()
            ]
            derived = {table.name for table in TABLES}
            for name in existing:  # bookkeeping (_tracking, _binding, _scope…) stays
                if name in derived or not name.startswith("_"):
                    db.execute(f'DROP TABLE "{name}"')
            db.execute("DELETE FROM _tracking")
        for table in TABLES:
            for statement in create_sql(table):
                db.execute(statement)
        db.execute("DELETE FROM _columns")
        db.table("_columns").insert_all(  # descriptions travel with the file
            [
                {"table": t.name, "column": c, "description": d}
                for t in TABLES
                for c, d in t.columns.items()
            ]
        )
        db.execute("DELETE FROM _layout")
        db.execute("INSERT INTO _layout VALUES (?)", [current])


def _write_datasette_metadata(path: str) -> None:
    """Table and column descriptions for `datasette VIEWS -m VIEWS.metadata.json`."""
    target = Path(path).with_suffix(".metadata.json")
    if ".rebuild-" in path:
        return
    text = json.dumps(datasette_metadata("diplo views", Path(path).stem), indent=2) + "\n"
    if not target.exists() or target.read_text() != text:  # files of older versions are fixed
        target.write_text(text)
