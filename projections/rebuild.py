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

The child's inserts cost less than the parent's reading, logging and deriving, so the parent
hands the last events of each chunk to the child to derive (``derive.Deriving``, with a
directory of its own), as many as keep both processes busy (``_Load._balance``).
"""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, cast

from eventsourcing.sqlite import SQLiteApplicationRecorder
from orjson import loads

from diplo.events.declaration import declarations
from diplo.events.declared import versions
from diplo.events.upcasting import upcast
from diplo.projections.chunk import Chunk
from diplo.projections.derive import Meta, Rows, derive, gather, named_parties
from diplo.projections.plan import CORRECTIONS, Plan
from diplo.projections.views import APPLICATION, Views
from diplo.projections.writer import AHEAD, Child, insert

if TYPE_CHECKING:
    from diplo.domain.app.ledger import Ledger
    from diplo.projections.runner import Progress

CHILD_FROM = 20_000  # the writer process takes ~0.2 s to start; it pays from here on
CHUNK = 5000  # events read at once (and between two progress calls)
FLUSH = 1000  # events whose rows go to the writer at once: what both processes hold
HERE = 750  # of a chunk's events, how many this process derives at first (``_Load._balance``)
STEP = 2  # how many more or fewer at each chunk, as the writer falls behind or keeps up
TREND = 10  # and how many more or fewer per frame it gained or lost since the last chunk
EVEN = AHEAD // 2  # frames waiting for the writer when both processes keep pace


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
    writer: Child | _Writer = (
        Child(path, views.directory.iati_org) if child else _Writer(views.db.conn)
    )
    chunk = _Load(views, ledger, plan, writer)
    applied = last = 0
    try:
        for batch in _batches(ledger, stop):
            for number, (position, state) in enumerate(batch, 1):
                chunk.take(position, state)
                if number % FLUSH == 0:
                    chunk.flush()
            chunk.flush()
            applied += len(batch)
            last = batch[-1][0]
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


Read = tuple[int, bytes]  # a notification as the rebuild reads it: position, stored record


def _batches(ledger: Ledger, stop: int, topics: list[str] | None = None) -> Iterator[list[Read]]:
    """The notifications up to ``stop`` (only those of ``topics``, if given), in position
    order, ``CHUNK`` at a time. Read whole (no ``topics``), a position missing raises
    IntegrityFailure: views derived over a hole would show the log without it."""
    start = 1
    while start <= stop:
        rows = _select(ledger, start, stop, topics)
        if not topics:
            ledger.whole(start, [position for position, _ in rows], stop, CHUNK)
        if rows:
            yield rows
        if len(rows) < CHUNK:
            return
        start = rows[-1][0] + 1


def _select(ledger: Ledger, start: int, stop: int, topics: list[str] | None = None) -> list[Read]:
    """One chunk of the log. From SQLite only position and record are read (the recorder
    would also turn every originator id into a UUID, which a rebuild never looks at), as
    the rows SQLite gives: tuples, made into nothing else."""
    recorder = ledger.recorder
    if not isinstance(recorder, SQLiteApplicationRecorder):
        notifications = recorder.select_notifications(start, CHUNK, stop=stop, topics=topics or ())
        return [(notification.id, notification.state) for notification in notifications]
    among = f"AND topic IN ({', '.join('?' * len(topics))}) " if topics else ""
    with recorder.datastore.transaction(commit=False) as cursor:
        cursor.execute(
            f"SELECT rowid, state FROM {recorder.events_table_name} "
            f"WHERE rowid >= ? AND rowid <= ? {among}ORDER BY rowid LIMIT ?",
            [start, stop, *(topics or ()), CHUNK],
        )
        return cast(list[Read], cursor.fetchall())


def amending(ledger: Ledger, stop: int, topics: list[str]) -> Iterator[bytes]:
    """The stored records of the events up to ``stop`` whose topic is one of ``topics`` (the
    amendments a rebuild plans by), in position order, ``CHUNK`` read at a time: from SQLite
    only their records (the recorder would also read every column and make a UUID of each
    originator id: a third of the time of this scan of the whole log)."""
    for rows in _batches(ledger, stop, topics):
        yield from (state for _, state in rows)


class _Load(Chunk):
    """A rebuild's chunk: rows go to the writer; nothing is refreshed per chunk."""

    def __init__(self, views: Views, ledger: Ledger, plan: Plan, writer: Child | _Writer) -> None:
        super().__init__(views, ledger, plan)
        self.writer, self.final = writer, plan
        # Of each chunk's events, how many are derived here; the rest are handed to the child
        # (``handed``; it derives them on the second core while this one reads on) and so are
        # this side's registrations (``learnt``), for the child's directory. ``_balance``
        # moves the share so that neither process waits for the other.
        self.teach = isinstance(writer, Child)
        self.here = HERE if self.teach else FLUSH
        self.taken = self.backlog = 0
        self.learnt: list[Any] = []
        self.handed: list[Any] = []
        self.declarations = declarations()
        self.versions = versions()  # each type's current schema version: all but old records'
        # Parties whose names or countries the views' directory and the log's may tell apart:
        # those of registrations a correction amends (or a past view leaves out).
        self.apart: set[Any] = set()

    def apply(self, notification: Any) -> None:
        self.take(notification.id, notification.state)

    def take(self, position: int, state: bytes) -> None:
        """``Chunk.apply`` with a plan, once per event (its position and stored record): an
        activity derived in its final form, a correction recorded (its target's rows are
        derived final already). The type's declaration is looked up once, here, and handed
        to all that asks for it."""
        record = loads(state)  # ``decode_data``, inline: no Record made, no upcast called
        data, recorded_at = record["fact"], record["recorded_at"]
        if (version := record.get("v", 1)) != self.versions[data["type"]]:
            data = upcast(data, version)
        declaration = self.declarations.get(data["type"])
        self.taken += 1
        logged = None
        if self.final.log:  # ``note_in_log``, inline
            logged = self.log.row(data, position, declaration)
            self.buffer.setdefault("_log", []).append(logged)
        key = data["key"]
        if data["type"] in CORRECTIONS:
            meta = Meta(key, position, recorded_at)
            self._record_correction(data, meta)
            return
        final, status = self.final.final(data)
        kept = self.final.valid_at is None or self.final.keeps(final)  # most keep all
        if declaration is not None and declaration.registers and (final is not data or not kept):
            self.apart.update((data.get(declaration.subject), final.get(declaration.subject)))
        if not kept:
            return
        if final is not data or declaration is None or declaration.registers:
            self.directory.learn(final, declaration)  # a registration (others teach nothing)
        known = named = None
        handing = self.taken > self.here  # the child derives it, as this side would (``Deriving``)
        if declaration is not None and declaration.on_timeline and not declaration.registers:
            if self.apart or not handing:  # what derive reads, and ``_alike`` if any is apart
                named = named_parties(final, declaration.mention_fields)
            if logged is not None and final is data and (not self.apart or self._alike(named)):
                known = (logged[2], logged[3] if declaration.creates else None)  # see _alike
        if handing:
            summary, countries = known or (None, None)
            self.handed.append([final, key, position, recorded_at, status, summary, countries])
            return
        if self.teach and declaration is not None and declaration.registers:
            self.learnt.append(final)  # the child's directory learns it in its turn
        meta = Meta(key, position, recorded_at, status)
        gather(self.buffer, derive(final, meta, self.directory, known, declaration, named))

    def _alike(self, named: set[str] | None) -> bool:
        """Whether an unamended activity's timeline summary is its ``_log`` row's, given the
        parties it names (``named_parties`` of its ``mention_fields``): the log's directory
        and the views' name and place every one of them alike (summaries and countries read
        only the parties of ``mention_fields``; the correction cascade, ``_mentions``, rests
        on that too). Only activity (on the timeline, not a registration) is asked. Its
        countries are the log row's too if its type creates its record: the log adds a
        record's countries to the events acting on it, the views do not."""
        return not self.apart or not ((named or set()) & self.apart)

    def flush(self) -> None:
        if self.final.log and (directory := self.log.drain()):
            self.buffer["_log_directory"] = directory  # written as it goes, not all at the end
        if isinstance(self.writer, Child):  # the child counts what it inserts
            self._balance(self.writer.backlog())  # before this chunk joins the queue
            self.writer.put(self.buffer, self.learnt, self.handed)
        else:
            self.tally.add(self.buffer, +1)
            self.writer.put(self.buffer)
        self.buffer, self.learnt, self.handed, self.taken = {}, [], [], 0

    def _balance(self, backlog: int) -> None:
        """Derive more events here when the child falls behind (more frames than ``EVEN``
        wait for it when the next is ready), fewer when it gains, and at once by how much it
        fell behind or gained since the last chunk (``TREND``: the share otherwise swings
        from an empty queue to a full one, its effect a queue's length late): the queue
        stays part full, so that neither process waits for the other (the parent at a full
        queue, the child at an empty one), and the rows are the same either way."""
        trend, self.backlog = backlog - self.backlog, backlog  # frames gained since the last
        step = STEP * ((backlog > EVEN) - (backlog < EVEN)) + TREND * trend
        self.here = min(FLUSH, max(0, self.here + step))


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
