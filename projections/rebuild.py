"""Loading every event into an empty scratch views file: the bulk part of a rebuild.

An incremental catch-up (``Views.apply``) commits each chunk with its tracked position and
moves running figures by what the chunk changed. A rebuild starts from nothing, and its file
is renamed into place only once complete (``runner.rebuild``), so it does less: it reads the
log with one cursor (position and record only), derives each event once in its final
corrected form (``Plan``; its timeline summary is its ``_log`` row's where the log and the
views name its parties alike, ``_Load._alike``), writes all rows in one transaction in a
child process (``writer``: inserting overlaps deriving, on the second core; the file has no
secondary indexes yet), counts the figures in one ``Tally`` written at the end (``refresh_all``,
set-based), and tracks the last position once. Tests hold it equal to catching up event by event.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from eventsourcing.sqlite import SQLiteApplicationRecorder

from diplo.domain.store.records import decode_data
from diplo.events.declaration import Declaration, declarations
from diplo.projections.chunk import Chunk
from diplo.projections.derive import Meta, Rows, derive, named_parties
from diplo.projections.plan import CORRECTIONS, Plan
from diplo.projections.views import APPLICATION, Views
from diplo.projections.writer import Child, insert

if TYPE_CHECKING:
    from diplo.domain.app.ledger import Ledger
    from diplo.projections.runner import Progress

CHILD_FROM = 20_000  # the writer process takes ~0.2 s to start; it pays from here on
CHUNK = 5000  # events read at once (and between two progress calls)
FLUSH = 1000  # events whose rows go to the writer at once: what both processes hold


def load(
    ledger: Ledger,
    views: Views,
    path: str,
    stop: int,
    plan: Plan,
    progress: Progress | None = None,
    *,
    child: bool | None = None,
) -> int:
    """Derive and insert every event up to ``stop`` into the empty ``views`` (a scratch
    file at ``path``); return how many. Rows are inserted by a child process (``child``;
    by default for logs of ``CHILD_FROM`` events or more). On failure the file is
    half-written: the caller removes it."""
    views._know_iati_org(ledger)
    if child is None:  # a second core, and a Python that knows its interpreter
        child = stop >= CHILD_FROM and (os.cpu_count() or 1) > 1 and bool(sys.executable)
    writer: Child | _Writer = Child(path) if child else _Writer(views.db.conn)
    chunk = _Load(views, ledger, plan, writer)
    applied = last = 0
    try:
        for batch in _batches(ledger, stop):
            for number, notification in enumerate(batch, 1):
                chunk.apply(notification)
                if number % FLUSH == 0:
                    chunk.flush()
            chunk.flush()
            applied += len(batch)
            last = batch[-1].id
            if progress:
                progress(last, stop)
    except BaseException:
        writer.abandon()
        raise
    writer.close()
    if isinstance(writer, Child):
        plan.tally = writer.tally
    if last:
        with views.db.conn:
            views.db.conn.execute(
                "INSERT OR REPLACE INTO _tracking VALUES (?, ?)", [APPLICATION, last]
            )
            views._bind(ledger, last)
            chunk.log.save()  # the log's directory, held in memory while the writer wrote
    return applied


def _batches(ledger: Ledger, stop: int) -> Iterator[list[Any]]:
    """The notifications up to ``stop``, in position order, ``CHUNK`` at a time."""
    start = 1
    while start <= stop:
        rows = _select(ledger, start, stop)
        if not rows:
            return
        yield rows
        start = rows[-1].id + 1


class _Read:
    """A notification as the rebuild reads it: its position and stored record."""

    __slots__ = ("id", "state")

    def __init__(self, position: int, state: bytes) -> None:
        self.id, self.state = position, state


def _select(ledger: Ledger, start: int, stop: int) -> list[Any]:
    """One chunk of the log. From SQLite only position and record are read (the recorder
    would also turn every originator id into a UUID, which a rebuild never looks at)."""
    recorder = ledger.recorder
    if not isinstance(recorder, SQLiteApplicationRecorder):
        return list(recorder.select_notifications(start, CHUNK, stop=stop))
    with recorder.datastore.transaction(commit=False) as cursor:
        cursor.execute(
            f"SELECT rowid, state FROM {recorder.events_table_name} "
            "WHERE rowid >= ? AND rowid <= ? ORDER BY rowid LIMIT ?",
            [start, stop, CHUNK],
        )
        return [_Read(row[0], row[1]) for row in cursor.fetchall()]


class _Load(Chunk):
    """A rebuild's chunk: rows go to the writer; nothing is refreshed per chunk."""

    def __init__(self, views: Views, ledger: Ledger, plan: Plan, writer: Child | _Writer) -> None:
        super().__init__(views, ledger, plan)
        self.writer, self.final = writer, plan
        self.declarations = declarations()
        # Parties whose names or countries the views' directory and the log's may tell apart:
        # those of registrations a correction amends (or a past view leaves out).
        self.apart: set[Any] = set()

    def apply(self, notification: Any) -> None:
        """``Chunk.apply`` with a plan, once per event: an activity derived in its final
        form, a correction recorded (its target's rows are derived final already)."""
        data, recorded_at = decode_data(notification.state)
        logged = self.note_in_log(data, notification.id)
        key = data["key"]
        if data["type"] in CORRECTIONS:
            meta = Meta(key, notification.id, recorded_at)
            self._record_correction(data, meta)
            return
        final, status = self.final.final(data)
        kept = self.final.keeps(final)
        declaration = self.declarations.get(data["type"])
        if declaration is not None and declaration.registers and (final is not data or not kept):
            self.apart.update((data.get(declaration.subject), final.get(declaration.subject)))
        if not kept:
            return
        if final is not data or declaration is None or declaration.registers:
            self.directory.learn(final)  # what a registration says (others teach nothing)
        meta = Meta(key, notification.id, recorded_at, status)
        known = None
        if logged is not None and final is data and self._alike(declaration, data):
            assert declaration is not None
            known = (logged[2], logged[3] if declaration.creates else None)  # summary, countries
        buffer = self.buffer
        for table, rows in derive(final, meta, self.directory, known, declaration).items():
            if table in buffer:
                buffer[table].extend(rows)
            else:
                buffer[table] = rows

    def _alike(self, declaration: Declaration | None, data: dict[str, Any]) -> bool:
        """Whether an unamended activity's timeline summary is its ``_log`` row's: the log's
        directory and the views' name and place every party it names alike (summaries and
        countries read only the parties of ``mention_fields``; the correction cascade,
        ``_mentions``, rests on that too). Its countries are the log row's too if its type
        creates its record: the log adds a record's countries to the events acting on it,
        the views do not."""
        if declaration is None or not declaration.on_timeline or declaration.registers:
            return False
        return not self.apart or not (named_parties(data, declaration.mention_fields) & self.apart)

    def flush(self) -> None:
        if self.final.log and (directory := self.log.drain()):
            self.buffer["_log_directory"] = directory  # written as it goes, not all at the end
        if not isinstance(self.writer, Child):  # the child counts what it inserts
            self.tally.add(self.buffer, +1)
        self.writer.put(self.buffer)
        self.buffer = {}


class _Writer:
    """Inserts each chunk's rows into the scratch file, in one transaction committed by
    ``close``: here, on the views' own connection (small rebuilds; ``writer.Child`` for
    large ones)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        conn.execute("BEGIN IMMEDIATE")

    def put(self, tables: Rows) -> None:
        for table, rows in tables.items():
            insert(self.conn, table, rows)

    def close(self) -> None:
        self.conn.execute("COMMIT")

    def abandon(self) -> None:
        self.conn.rollback()
