"""Import input: JSON Lines files (or stdin) read one line at a time, never whole."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import nullcontext
from pathlib import Path
from typing import IO, Any

from diplo.events.envelope import Fact
from diplo.events.errors import InvalidEvent, Problem, Problems
from diplo.events.jsonl import read_jsonl


def labels(names: list[str]) -> list[str]:
    """How each input is named in messages, in input order."""
    return ["<stdin>" if name == "-" else name for name in names]


class ImportFiles:
    """The ``(where, fact)`` pairs of several files in order, where is ``file:line``.

    It knows how many facts it has yielded and how many bytes it has read, so the caller can
    report counts and draw a progress bar without holding the files in memory.
    """

    def __init__(self, names: list[str], problems: Problems | None = None) -> None:
        self.names = names
        self.problems = problems  # given: bad lines are told there and skipped, not raised
        self.count = 0
        self.size = _total_size(names)  # None when reading stdin
        self._finished = 0  # bytes of the files read to the end
        self._current: IO[bytes] | None = None

    def __iter__(self) -> Iterator[tuple[str, Fact]]:
        for name in self.names:
            yield from self._facts_of(name)

    def position(self) -> int:
        """Bytes read so far, over every file."""
        current = self._current.tell() if self._current and self._current.seekable() else 0
        return self._finished + current

    def _facts_of(self, name: str) -> Iterator[tuple[str, Fact]]:
        (label,) = labels([name])
        with _opened(name) as stream:
            self._current = stream
            try:
                for line, fact in read_jsonl(stream, label, self.problems):
                    self.count += 1
                    yield f"{label}:{line}", fact
            finally:  # a refused line ends the reading: the file is closed, count what was read
                self._finished += stream.tell() if stream.seekable() else 0
                self._current = None


def _opened(name: str) -> Any:
    if name == "-":
        return nullcontext(sys.stdin.buffer)
    try:
        return Path(name).open("rb")
    except OSError as error:
        raise InvalidEvent([Problem(f"cannot read file: {error.strerror}", source=name)]) from None


def _total_size(names: list[str]) -> int | None:
    if "-" in names:
        return None
    try:
        return sum(os.stat(name).st_size for name in names)
    except OSError:
        return None  # the read itself reports the missing file, with its name


def with_hints(error: InvalidEvent, store: str | None) -> InvalidEvent:
    """``error`` with suggestions from the ledger at ``store`` for text given where a
    registered record was expected (``--donor JICA`` → ``jica``); as it was if there is no
    ledger to ask."""
    from diplo.domain.store.opening import open_ledger
    from diplo.events.errors import LedgerError

    if not any(problem.refers for problem in error.problems):
        return error
    try:
        ledger = open_ledger(store)
    except LedgerError:
        return error
    try:
        return error.hinted(ledger.hint())
    finally:
        ledger.close()
