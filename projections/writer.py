"""A rebuild's rows, inserted into its scratch views file by a second Python process.

Deriving rows is Python work, and so is binding them for SQLite; threads of one process take
turns at the GIL, so the inserts run in a child (the second core) while the parent derives
the next chunk. The child is a fresh interpreter that imports only this module and the
tally (and the derivation, once events are handed to it), not the parent's memory: its own
peak stays below the parent's.

It reads frames from stdin: a 4-byte length, then one chunk's rows as ``marshal`` writes
them, ``{table: [row, ...]}``, each row a dict by column or a tuple in column order (see
``insert`` and ``_arrays``). Both ends run the same interpreter, so marshal's format is
theirs; it reads a frame in under half orjson's time and writes it in 1.5-1.9x (on 100,000
events, counted by callgrind: the child 3.4 % fewer instructions, the parent 1.7 % more,
0.8 % fewer in all). A thread of the parent keeps it a few frames ahead. It inserts and
counts them (``Tally``) in one transaction, commits at an empty frame, and answers on
stdout with the error, if any, and the tally. If its input ends early (the parent failed or
was killed) it commits nothing. A frame may also carry events for the child to derive
itself, after the parent's rows (``HANDED``), and the registrations the parent derived
(``LEARNT``): see ``derive.Deriving``.
"""

from __future__ import annotations

import gc
import marshal
import operator
import pickle
import queue
import sqlite3
import struct
import subprocess
import sys
import threading
from collections.abc import Callable
from functools import cache
from itertools import chain
from typing import IO, Any

from diplo.projections.tally import READS

FRAME = struct.Struct("<I")
AHEAD = 16  # frames queued for the child at most: what the parent may hold beyond its own
BLOCK = 32  # rows one INSERT statement takes at most (``insert``)
LEARNT, HANDED = "@learnt", "@handed"  # a frame's other parts (no table's name begins so)
Rows = dict[str, list[Any]]  # one chunk's rows, by table (see ``insert``)


class Child:
    """The parent's end: ``put`` each chunk's rows, then ``close`` (or ``abandon``).

    Frames go to the child through a thread (``_feed``), a few frames ahead: the parent
    derives on while the pipe is full and the child busy, where a write would block it."""

    def __init__(self, path: str, iati_org: str = "") -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", f"from {__name__} import serve; serve()", path, iati_org],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        self.tally: Any = None
        self.frames: queue.Queue[bytes | None] = queue.Queue(AHEAD)
        self.broken = False  # the child stopped reading (it died)
        self.feeder = threading.Thread(target=self._feed, daemon=True)
        self.feeder.start()

    def put(
        self, tables: Rows, learnt: list[Any] | None = None, handed: list[Any] | None = None
    ) -> None:
        """Send one chunk's rows; and the registrations derived here (``learnt``) and the
        events the child is to derive itself (``handed``, after those rows), if any."""
        frame = {table: _arrays(table, rows) for table, rows in tables.items()}
        if learnt:
            frame[LEARNT] = learnt
        if handed:
            frame[HANDED] = handed
        message = marshal.dumps(frame)
        self._write(FRAME.pack(len(message)) + message)

    def backlog(self) -> int:
        """Frames waiting for the child: none, it keeps up; a few, it falls behind."""
        return self.frames.qsize()

    def close(self) -> None:
        """Wait for every chunk to be written and committed; raise what writing raised."""
        try:
            self._write(FRAME.pack(0))
            self._stop_feeding()
            assert self.process.stdin and self.process.stdout
            self.process.stdin.close()
            answer = self.process.stdout.read()
        finally:
            self.abandon()
        if not answer:
            raise RuntimeError(f"the views writer exited {self.process.returncode}")
        error, self.tally = pickle.loads(answer)
        if error:
            raise RuntimeError(f"writing the rebuilt views failed: {error}")

    def abandon(self) -> None:
        """End the child; what it wrote without committing is rolled back."""
        for stream in (self.process.stdin, self.process.stdout):
            if stream and not stream.closed:
                stream.close()  # the child reads the end of its input and stops
        self._stop_feeding()
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def _write(self, data: bytes) -> None:
        if self.broken:  # the child died: ``close`` says how
            raise RuntimeError(f"the views writer exited {self.process.wait()}")
        self.frames.put(data)

    def _stop_feeding(self) -> None:
        if self.feeder.is_alive():
            self.frames.put(None)
            self.feeder.join()

    def _feed(self) -> None:
        """The thread's loop: write each frame to the child's input (the GIL is released
        while it waits); after a failure, drain the frames so that the parent never blocks."""
        assert self.process.stdin
        while (data := self.frames.get()) is not None:
            if self.broken:
                continue
            try:
                self.process.stdin.write(data)
            except (BrokenPipeError, ValueError, OSError):  # died, or closed by ``abandon``
                self.broken = True


def serve() -> None:
    """The child's main: insert and count every frame on stdin into the file ``argv[1]``."""
    from diplo.domain.store.adapters import bind_plainly
    from diplo.projections.tally import Tally

    bind_plainly()  # a tenth of this process's work on Python 3.11 otherwise
    _without_memory_statistics()
    gc.disable()  # as in the parent: rows make no cycles, and collecting them costs ~10 %
    error, tally, deriving = "", Tally(), None
    source, conn = sys.stdin.buffer, sqlite3.connect(sys.argv[1], isolation_level=None)
    try:
        for pragma in ("journal_mode=OFF", "synchronous=OFF", "cache_size=-8192"):
            conn.execute(f"PRAGMA {pragma}")  # a scratch file: a failed build discards it
        conn.execute("BEGIN IMMEDIATE")
        while message := _frame(source):
            if not error:  # after an error, read on: the parent must never block
                try:
                    tables = marshal.loads(message)
                    if LEARNT in tables or HANDED in tables:
                        deriving = deriving or _deriving(sys.argv[2])
                        _derive(deriving, tables)
                    for table, rows in tables.items():
                        insert(conn, table, rows)
                    tally.add(tables, +1)  # all tables at once: agreements meet their pairs
                except Exception as failure:  # told to the parent at the end
                    error = f"{type(failure).__name__}: {failure}"
        if not error:
            conn.execute("COMMIT")
        sys.stdout.buffer.write(pickle.dumps((error, tally)))
    except EOFError:  # the parent gave up: nothing is committed
        pass
    finally:
        conn.close()


SQLITE_CONFIG_MEMSTATUS = 9  # sqlite3.h


def _without_memory_statistics() -> bool:
    """Turn off SQLite's memory statistics in this process, before it opens a connection;
    return whether it did. SQLite counts every allocation under a global mutex (each text
    it binds is copied, then freed), which this process, inserting millions of cells on one
    thread, never reads. Without them the same inserts took 0.73x the time
    (``bench_binding``), and a 100k rebuild ran 3.2 % fewer instructions in all (callgrind).
    Python's sqlite3 cannot set it, so it is set through ctypes in the library that sqlite3
    loaded, found in this process's memory map (Linux). Anywhere else (no map, a library
    linked into the module, another version) nothing is changed."""
    import ctypes

    path = loaded_sqlite_library()
    if path is None:
        return False
    try:
        library = ctypes.CDLL(path)
    except OSError:
        return False
    library.sqlite3_libversion.restype = ctypes.c_char_p
    if library.sqlite3_libversion().decode() != sqlite3.sqlite_version:
        return False
    # Configuring is allowed only while the library is shut down (no connection is open).
    if library.sqlite3_shutdown() != 0:
        return False
    configured = library.sqlite3_config(SQLITE_CONFIG_MEMSTATUS, ctypes.c_int(0)) == 0
    return library.sqlite3_initialize() == 0 and configured


def loaded_sqlite_library() -> str | None:
    """The path of the SQLite library this process has loaded, from its memory map (Linux);
    None where there is no map or none is listed (sqlite3 linked into Python)."""
    try:
        with open("/proc/self/maps") as maps:
            return next((line.split()[-1] for line in maps if "libsqlite3" in line), None)
    except OSError:
        return None


def _deriving(iati_org: str) -> Any:
    from diplo.projections.derive import Deriving  # only once events are handed over

    return Deriving(iati_org)


def _derive(deriving: Any, tables: dict[str, list[Any]]) -> None:
    """Learn the registrations the parent derived, then derive the events it handed over,
    their rows after its own (log order, as the parent's buffer keeps them)."""
    for data in tables.pop(LEARNT, ()):
        deriving.learn(data)
    from diplo.projections.derive import gather  # imported already: see ``_deriving``

    derived: dict[str, list[Any]] = {}
    for item in tables.pop(HANDED, ()):
        deriving.add(item, derived)
    # As the parent sends its own rows: dicts only where the tally reads them.
    gather(tables, {table: _arrays(table, rows) for table, rows in derived.items()})


def _frame(source: IO[bytes]) -> bytes:
    """The next frame's content (empty: the last); EOFError if the input ends mid-way."""
    size = FRAME.unpack(_exactly(source, FRAME.size))[0]
    return _exactly(source, size) if size else b""


def _exactly(source: IO[bytes], size: int) -> bytes:
    data = source.read(size)
    if len(data) < size:
        raise EOFError
    return data


def _arrays(table: str, rows: list[Any]) -> list[Any]:
    """A chunk's rows of one table as they go to the child: as arrays in column order,
    unless the child's tally reads them by column name (``tally.READS``). The parent reads
    a dict's cells in C (as ``insert`` would); the child then makes no dict per row, nor
    a tuple from it: its share of the work falls by about a tenth."""
    if not rows or not isinstance(rows[0], dict) or table in READS:
        return rows
    return _cells(table, rows)


def insert(conn: sqlite3.Connection, table: str, rows: list[Any]) -> None:
    """Insert rows into a views table: dicts by column (a missing key is NULL), or
    sequences in the table's column order (the rows derived for every type alike, and a
    type's rows as ``_arrays`` sends them to the child).

    Rows go in by blocks (``_block``: one statement inserts many, in their order), the rest
    one by one: SQLite then runs one statement per block, not per row, and Python binds its
    cells in one call (a rebuild's inserts take ~15 % less CPU)."""
    if rows and isinstance(rows[0], dict):
        rows = _cells(table, rows)
    one, columns, _ = _statement(table)
    many, size = _block(table)
    whole = len(rows) - len(rows) % size
    if whole:
        blocked = rows[:whole]
        if set(map(len, blocked)) != {len(columns)}:  # one of another width would shift the rest
            raise ValueError(f"rows of {table} must have {len(columns)} cells each")
        cells = list(chain.from_iterable(blocked))
        step = size * len(columns)
        conn.executemany(many, [cells[i : i + step] for i in range(0, len(cells), step)])
    conn.executemany(one, rows[whole:])


def _cells(table: str, rows: list[dict[str, Any]]) -> list[Any]:
    """Dict rows as sequences in the table's column order: those with every column as a key
    (most) read by one ``itemgetter`` (in C), others column by column."""
    _, columns, cells = _statement(table)
    try:
        return list(map(cells, rows))
    except KeyError:  # a column some row leaves unsaid
        return [tuple(map(row.get, columns)) for row in rows]


@cache
def _block(table: str) -> tuple[str, int]:
    """An INSERT of ``BLOCK`` rows of a table at once (fewer if its columns would exceed the
    999 parameters any SQLite takes), and how many rows that is."""
    one, columns, _ = _statement(table)
    size = max(1, min(BLOCK, 999 // len(columns)))
    head, row = one.split(" VALUES ")
    return f"{head} VALUES {', '.join([row] * size)}", size


@cache
def _statement(table: str) -> tuple[str, tuple[str, ...], Callable[[dict[str, Any]], Any]]:
    """A table's INSERT, its columns, and what reads them from a row in their order."""
    from diplo.projections.tables import BY_NAME, LOG_DIRECTORY

    columns = tuple(BY_NAME[table].columns)
    names = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join("?" * len(columns))
    # the log's directory is written as it is learnt: an entry learnt again replaces its row
    verb = "INSERT OR REPLACE" if table == LOG_DIRECTORY.name else "INSERT"
    sql = f'{verb} INTO "{table}" ({names}) VALUES ({marks})'
    if len(columns) == 1:  # itemgetter of one column gives the value, not a 1-tuple
        return sql, columns, lambda row: (row[columns[0]],)
    return sql, columns, operator.itemgetter(*columns)
