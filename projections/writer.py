"""A rebuild's rows, inserted into its scratch views file by a second Python process.

Deriving rows is Python work, and so is binding them for SQLite; threads of one process take
turns at the GIL, so the inserts run in a child (the second core) while the parent derives
the next chunk. The child is a fresh interpreter that imports only this module and the
tally, not the parent's memory: its own peak stays below the parent's. It reads frames (a
4-byte length, then one chunk's rows as JSON: ``{table: [row, ...]}``) from stdin, inserts
and counts them (``Tally``) in one transaction, commits at an empty frame, and answers on
stdout with the error, if any, and the tally. If its input ends early (the parent failed or
was killed) it commits nothing.
"""

from __future__ import annotations

import gc
import pickle
import sqlite3
import struct
import subprocess
import sys
from typing import IO, Any

import orjson

FRAME = struct.Struct("<I")
Rows = dict[str, list[dict[str, Any]]]  # one chunk's rows, by table


class Child:
    """The parent's end: ``put`` each chunk's rows, then ``close`` (or ``abandon``)."""

    def __init__(self, path: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", f"from {__name__} import serve; serve()", path],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        self.tally: Any = None

    def put(self, tables: Rows) -> None:
        message = orjson.dumps(tables)
        self._write(FRAME.pack(len(message)) + message)

    def close(self) -> None:
        """Wait for every chunk to be written and committed; raise what writing raised."""
        try:
            self._write(FRAME.pack(0))
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
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def _write(self, data: bytes) -> None:
        assert self.process.stdin
        try:
            self.process.stdin.write(data)
        except BrokenPipeError:  # the child died: ``close`` says how
            raise RuntimeError(f"the views writer exited {self.process.wait()}") from None


def serve() -> None:
    """The child's main: insert and count every frame on stdin into the file ``argv[1]``."""
    from diplo.projections.tally import Tally

    gc.disable()  # as in the parent: rows make no cycles, and collecting them costs ~10 %
    error, tally = "", Tally()
    source, conn = sys.stdin.buffer, sqlite3.connect(sys.argv[1], isolation_level=None)
    try:
        for pragma in ("journal_mode=OFF", "synchronous=OFF", "cache_size=-8192"):
            conn.execute(f"PRAGMA {pragma}")  # a scratch file: a failed build discards it
        conn.execute("BEGIN IMMEDIATE")
        while message := _frame(source):
            if not error:  # after an error, read on: the parent must never block
                try:
                    tables = orjson.loads(message)
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


def _frame(source: IO[bytes]) -> bytes:
    """The next frame's content (empty: the last); EOFError if the input ends mid-way."""
    size = FRAME.unpack(_exactly(source, FRAME.size))[0]
    return _exactly(source, size) if size else b""


def _exactly(source: IO[bytes], size: int) -> bytes:
    data = source.read(size)
    if len(data) < size:
        raise EOFError
    return data


def insert(conn: sqlite3.Connection, table: str, rows: list[dict[str, Any]]) -> None:
    """Insert rows into a views table; a missing key is NULL."""
    from diplo.projections.tables import BY_NAME

    columns = list(BY_NAME[table].columns)
    names = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join("?" * len(columns))
    conn.executemany(
        f'INSERT INTO "{table}" ({names}) VALUES ({marks})',
        [tuple(map(row.get, columns)) for row in rows],
    )
