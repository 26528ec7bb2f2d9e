"""Loading every event into an empty scratch views file: the bulk part of a rebuild.

An incremental catch-up (``Views.apply``) commits each chunk with its tracked position and
moves running figures by what the chunk changed. A rebuild starts from nothing, and its file
is renamed into place only once complete (``runner.rebuild``), so it does less: it reads the
log with one cursor (position and record only), derives each event once in its final
corrected form (``Plan``), writes all rows in one transaction in a child process (inserting
overlaps deriving, on the second core; the file has no secondary indexes yet), counts the
figures in one ``Tally`` written at the end (``refresh_all``, set-based), and tracks the
last position once. Tests hold it equal to catching up event by event.
"""

from __future__ import annotations

import multiprocessing
import sqlite3
from collections.abc import Iterator
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any

import orjson
from eventsourcing.sqlite import SQLiteApplicationRecorder

from diplo.domain.store.records import decode_data
from diplo.projections.derive import Meta, Rows, derive
from diplo.projections.tables import BY_NAME
from diplo.projections.tally import Tally
from diplo.projections.views import APPLICATION, CORRECTIONS, Plan, Views, _Chunk

if TYPE_CHECKING:
    from diplo.domain.app.ledger import Ledger
    from diplo.projections.runner import Progress

CHILD_FROM = 20_000  # a child process costs ~10 ms to start; it pays from here on
CHUNK = 5000  # events derived between two hand-overs to the writer (and progress calls)


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
    if child is None:
        child = stop >= CHILD_FROM and "fork" in multiprocessing.get_all_start_methods()
    writer = _Child(path) if child else _Writer(views.db.conn)
    chunk = _Load(views, ledger, plan, writer)
    applied = last = 0
    try:
        for batch in _batches(ledger, stop):
            for notification in batch:
                chunk.apply(notification)
            chunk.flush()
            applied += len(batch)
            last = batch[-1].id
            if progress:
                progress(last, stop)
    except BaseException:
        writer.abandon()
        raise
    writer.close()
    if isinstance(writer, _Child):
        plan.tally = writer.tally
    if last:
        with views.db.conn:
            views.db.conn.execute(
                "INSERT OR REPLACE INTO _tracking VALUES (?, ?)", [APPLICATION, last]
            )
            views._bind(ledger, last)
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


class _Load(_Chunk):
    """A rebuild's chunk: rows go to the writer; nothing is refreshed per chunk."""

    def __init__(self, views: Views, ledger: Ledger, plan: Plan, writer: _Writer) -> None:
        super().__init__(views, ledger, plan)
        self.writer, self.final = writer, plan

    def apply(self, notification: Any) -> None:
        """``_Chunk.apply`` with a plan, once per event: an activity derived in its final
        form, a correction recorded (its target's rows are derived final already)."""
        data, recorded_at = decode_data(notification.state)
        key = data["key"]
        if data["type"] in CORRECTIONS:
            meta = Meta(key, notification.id, recorded_at)
            self._record_correction(data, meta)
        else:
            data, status = self.final.final(data)
            if not self.final.keeps(data):
                return
            self.directory.learn(data)
            meta = Meta(key, notification.id, recorded_at, status)
        buffer = self.buffer
        for table, rows in derive(data, meta, self.directory).items():
            if table in buffer:
                buffer[table].extend(rows)
            else:
                buffer[table] = rows

    def flush(self) -> None:
        if not isinstance(self.writer, _Child):  # the child counts what it inserts
            self.tally.add(self.buffer, +1)
        self.writer.put(self.buffer)
        self.buffer = {}


class _Writer:
    """Inserts batches of rows into the scratch file, in one transaction committed by
    ``close``: here, on the views' own connection (small rebuilds, or where processes
    cannot fork)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        conn.execute("BEGIN IMMEDIATE")

    def put(self, tables: Rows) -> None:
        for table, rows in tables.items():
            _insert(self.conn, table, rows)

    def close(self) -> None:
        self.conn.execute("COMMIT")

    def abandon(self) -> None:
        self.conn.rollback()


class _Child(_Writer):
    """Inserts in a forked child process, on the second core (threads would take turns at
    the GIL); nothing else writes the file meanwhile. Rows travel as JSON; the child also
    counts them (``Tally``), and hands the tally back with its commit."""

    tally: Tally

    def __init__(self, path: str) -> None:
        context = multiprocessing.get_context("fork")
        self.pipe, child = context.Pipe()
        self.process = context.Process(target=_write, args=(path, child), daemon=True)
        self.process.start()
        child.close()

    def put(self, tables: Rows) -> None:
        self.pipe.send_bytes(orjson.dumps(tables))

    def close(self) -> None:
        """Wait for every batch to be written and committed; raise what writing raised."""
        try:
            self.pipe.send_bytes(b"")
            error, self.tally = self.pipe.recv()
        finally:
            self.abandon()
        if error:
            raise RuntimeError(f"writing the rebuilt views failed: {error}")

    def abandon(self) -> None:
        """Stop the child; what it wrote without committing is rolled back."""
        self.pipe.close()  # the child reads the end of its input and stops
        self.process.join(timeout=60)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()


def _write(path: str, pipe: Connection) -> None:
    """The child: insert and count every batch received, commit at the empty message, reply
    ``""`` or the error (after reading to the end, so the parent never blocks on a full
    pipe), with the tally."""
    error, tally = "", Tally()
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        for pragma in ("journal_mode=OFF", "synchronous=OFF", "cache_size=-65536"):
            conn.execute(f"PRAGMA {pragma}")  # a scratch file: a crash discards it
        conn.execute("BEGIN IMMEDIATE")
        while message := pipe.recv_bytes():
            if not error:
                try:
                    tables = orjson.loads(message)
                    for table, rows in tables.items():
                        _insert(conn, table, rows)
                    tally.add(tables, +1)  # all tables at once: agreements find their pairs
                except Exception as failure:  # told to the parent at the end
                    error = f"{type(failure).__name__}: {failure}"
        if not error:
            conn.execute("COMMIT")
        pipe.send((error, tally))
    except EOFError:  # the parent gave up: nothing is committed
        pass
    finally:
        conn.close()


def _insert(conn: sqlite3.Connection, table: str, rows: list[dict[str, Any]]) -> None:
    """Insert rows; a missing key is NULL."""
    columns = list(BY_NAME[table].columns)
    names = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join("?" * len(columns))
    conn.executemany(
        f'INSERT INTO "{table}" ({names}) VALUES ({marks})',
        [tuple(map(row.get, columns)) for row in rows],
    )
