"""Stored and input text never drives the terminal: what the CLI prints goes through here.

Two layers. The consoles (cli/common.py) are made with Rich markup, emoji codes and
highlighting off, so ``[/bold]`` or ``[link=…]`` in a name is printed as the characters it
is, never read as an instruction (escaping markup as well would print its backslashes, since
nothing reads it). Then every string of data — table cells, titles, error messages quoting
input, field names, progress labels — goes through ``shown``, which writes the characters a
terminal would obey, or that hide or reorder text, as visible escapes (``\\x1b``, ``\\u202e``);
see ``diplo.events.inert``. JSON for scripts keeps the data exact: ``json_text`` escapes the
same characters as JSON escapes, which decode to the very same text.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from typing import Any

from rich.console import Console

from diplo.events.inert import json_inert, visible


def shown(value: object) -> str:
    """``value`` as text that prints as what it holds and does nothing else."""
    return visible(value if isinstance(value, str) else str(value))


def inert_console(*, stderr: bool = False) -> Console:
    """A console that reads no markup, emoji codes or highlighting into what it prints."""
    return Console(stderr=stderr, markup=False, emoji=False, highlight=False, soft_wrap=stderr)


def json_text(data: Any, *, indent: int | None = None) -> str:
    """Stable JSON (sorted keys, UTF-8) whose hidden characters are escaped: exact and inert."""
    separators = None if indent else (",", ":")
    text = json.dumps(
        data, sort_keys=True, ensure_ascii=False, indent=indent, separators=separators
    )
    return json_inert(text)


def to_stdout(document: str | Iterable[str]) -> None:
    """Write a document (a report, whole or in pieces) to stdout: exact into a file or a pipe;
    on a terminal, its lines shown as ``shown`` shows them, since a terminal obeys what a file
    only holds."""
    terminal = sys.stdout.isatty()
    for piece in [document] if isinstance(document, str) else document:
        if terminal:
            piece = "\n".join(visible(line) for line in piece.split("\n"))
        sys.stdout.write(piece)
