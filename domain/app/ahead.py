"""Reading ahead: an import's input read, validated and prepared in a second process, while
this one checks the rules and writes.

The two halves of an import share no state: preparing a fact (``prepared.prepare``) needs the
fact alone, checking it needs the ledger. On two cores they run side by side, and the facts
cross between them as plain values, a chunk at a time, through a pipe whose buffer bounds how
far the reader runs ahead (memory stays flat). Everything the reader learns reaches this process
in input order, inside the stream: facts, bad lines (told to ``problems``, or raised where
they were met) and how far it has read, so the import is the same, refusal for refusal, as one
that reads in-process (tests/domain/test_read_ahead.py).
"""

from __future__ import annotations

import contextlib
import marshal
import os
import pickle
import signal
from collections.abc import Iterator
from multiprocessing.connection import Connection
from typing import Any, Protocol

from diplo.domain.app.ledger import FIRST, quiet_gc
from diplo.domain.app.prepared import Prepared, prepare
from diplo.events.envelope import Fact
from diplo.events.errors import Problem, Problems

CHUNK = 256  # facts per message: big enough to pay the pipe per chunk, small enough to overlap
FORKS = hasattr(os, "fork")  # not on Windows: there the input is read in the import's process
PIPE_BYTES = 1 << 20  # what the pipe may hold (Linux's default most a process may ask for)


class Source(Protocol):
    """An input as the import command reads it (cli.inputs.ImportFiles)."""

    problems: Problems | None
    count: int
    size: int | None  # bytes in all, if known (for a progress bar)

    def __iter__(self) -> Iterator[tuple[str, Fact]]: ...

    def position(self) -> int: ...


class ReadAhead:
    """``source``'s facts, prepared by a child process, as ``(where, Prepared)`` pairs.

    It counts facts and bytes read as ``source`` does (``count``, ``position``): a progress bar
    reads them. Bad lines the child meets are told to ``source.problems`` here, in order; without
    problems, the first one is raised here when the facts before it have been taken."""

    def __init__(self, source: Source, recorded_by: str) -> None:
        self.source = source
        self.recorded_by = recorded_by
        self.problems = source.problems
        self.size = source.size
        self.count = 0
        self._position = 0
        self._reader: Connection | None = None
        self._child: int | None = None

    def position(self) -> int:
        return self._position

    def __enter__(self) -> ReadAhead:
        """Start reading now: before a writer takes the ledger's lock and opens its
        transaction, so the child holds neither (and reads while they are taken)."""
        if FORKS:
            self._start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop()

    def __iter__(self) -> Iterator[tuple[str, Any]]:
        if not FORKS:
            yield from self._read_here()
            return
        if self._reader is None:
            self._start()
        assert self._reader is not None
        try:
            yield from self._received(self._reader)
        finally:
            self._stop()

    def _read_here(self) -> Iterator[tuple[str, Any]]:
        """Where there is no fork (Windows): the same facts, prepared in this process."""
        for where, fact in self.source:
            self.count, self._position = self.source.count, self.source.position()
            yield where, Prepared(prepare(where, fact, self.recorded_by))
        self.count, self._position = self.source.count, self.source.position()

    def _start(self) -> None:
        # A fork, not multiprocessing's Process: the child needs this process's modules and
        # its standard input as they are (multiprocessing would give it /dev/null).
        read_end, write_end = os.pipe()
        _widen(write_end)
        child = os.fork()
        if child == 0:  # pragma: no cover - the child's coverage is not collected
            os.close(read_end)
            code = 1
            try:
                _produce(self.source, self.recorded_by, Connection(write_end, readable=False))
                code = 0
            finally:
                os._exit(code)  # noqa: SLF001 - never run the parent's exit handlers twice
        os.close(write_end)
        self._reader, self._child = Connection(read_end, writable=False), child

    def _stop(self) -> None:
        """Wait for the child; if the import stopped before the end, the rest is not wanted."""
        if self._reader is None or self._child is None:
            return
        self._reader.close()
        finished, _ = os.waitpid(self._child, os.WNOHANG)
        if not finished:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._child, signal.SIGKILL)
            os.waitpid(self._child, 0)
        self._reader = self._child = None

    def _received(self, reader: Connection) -> Iterator[tuple[str, Any]]:
        while True:
            try:
                kind, *message = pickle.loads(reader.recv_bytes())
            except EOFError:
                raise RuntimeError("the process reading the input ended before its end") from None
            if kind == "facts":
                packed, problems, self.count, self._position = message
                sent = marshal.loads(packed)
                if problems and self.problems is not None:
                    self.problems.add(problems)
                for item in sent:
                    yield item[0], Prepared(item)
            elif kind == "raise":
                raise message[0]
            else:
                return


def _widen(pipe: int) -> None:
    """Let the pipe hold a few chunks of the import (``ledger.CHUNK`` facts, about 250 KB each):
    the import takes a chunk at a time and then checks and writes it, and with the default
    64 KiB the reader would wait for it to finish instead of preparing the next meanwhile."""
    with contextlib.suppress(ImportError, AttributeError, OSError):  # Linux only; capped
        import fcntl  # POSIX only, as fork is

        fcntl.fcntl(pipe, fcntl.F_SETPIPE_SZ, PIPE_BYTES)


class _Relay(Problems):
    """The child's problems: kept until sent with the chunk they were met in."""

    def __init__(self) -> None:
        super().__init__()
        self.pending: list[Problem] = []

    def add(self, problems: list[Problem]) -> None:
        self.pending.extend(problems)

    def taken(self) -> list[Problem]:
        pending, self.pending = self.pending, []
        return pending


def _produce(source: Source, recorded_by: str, writer: Connection) -> None:
    """The child: prepare every fact of ``source`` and send them, a chunk at a time.

    Without cyclic garbage collection, as the bulk import itself: what it makes is freed by
    reference counting, and the collector's passes would walk it all."""
    with quiet_gc(True):
        _send_all(source, recorded_by, writer)


def _send_all(source: Source, recorded_by: str, writer: Connection) -> None:
    relay = _Relay() if source.problems is not None else None
    source.problems = relay
    chunk: list[Any] = []

    def send(kind: str, *message: Any) -> None:
        writer.send_bytes(pickle.dumps((kind, *message), protocol=pickle.HIGHEST_PROTOCOL))

    def flush() -> None:
        problems = relay.taken() if relay is not None else []
        # Facts as marshal writes them (plain values only: faster both ways than pickle's);
        # problems, which may hold any error, pickled.
        send("facts", marshal.dumps(chunk), problems, source.count, source.position())
        chunk.clear()

    wanted = min(FIRST, CHUNK)
    try:
        failure: Exception | None = None
        try:
            for where, fact in source:
                chunk.append(prepare(where, fact, recorded_by))
                if len(chunk) == wanted:
                    flush()
                    wanted = min(wanted * 2, CHUNK)  # the first few smaller: see ledger._chunks
        except Exception as error:  # noqa: BLE001 - every failure is the parent's to raise
            failure = error
        flush()  # the facts before a failure are the parent's to check first
        send("raise", _picklable(failure)) if failure else send("end")
    except (BrokenPipeError, ConnectionResetError):
        pass  # the parent stopped reading (the import was refused): nobody wants the rest
    finally:
        writer.close()


def _picklable(error: Exception) -> Exception:
    try:
        pickle.loads(pickle.dumps(error))
    except Exception:  # noqa: BLE001 - then it is told as text
        return RuntimeError(f"reading the input failed: {error!r}")
    return error
