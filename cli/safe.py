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
from typing import TYPE_CHECKING, Any, cast

from diplo.events.inert import json_array, json_inert, visible

if TYPE_CHECKING:
    from rich.console import Console


def shown(value: object) -> str:
    """``value`` as text that prints as what it holds and does nothing else."""
    return visible(value if isinstance(value, str) else str(value))


def inert_console(*, stderr: bool = False) -> Console:
    """A console that reads no markup, emoji codes or highlighting into what it prints,
    made the first time it is used: a command that writes only JSON or a report never
    imports rich (a fifth of a quick read's time)."""
    return cast("Console", _Deferred(stderr))


def made(console: Console) -> Console:
    """The console itself, for code that hands it to rich (a progress bar)."""
    return console.made if isinstance(console, _Deferred) else console


class _Deferred:
    """Stands for an inert console: every attribute is the console's, made on first use."""

    def __init__(self, stderr: bool) -> None:
        object.__setattr__(self, "_stderr", stderr)
        object.__setattr__(self, "_console", None)

    @property
    def made(self) -> Console:
        if self._console is None:
            from rich.console import Console

            stderr = self._stderr
            console = Console(
                stderr=stderr, markup=False, emoji=False, highlight=False, soft_wrap=stderr
            )
            object.__setattr__(self, "_console", console)
        return cast("Console", self._console)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.made, name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self.made, name, value)


def json_text(data: Any, *, indent: int | None = None) -> str:
    """Stable JSON (sorted keys, UTF-8) whose hidden characters are escaped: exact and inert."""
    separators = None if indent else (",", ":")
    text = json.dumps(
        data, sort_keys=True, ensure_ascii=False, indent=indent, separators=separators
    )
    return json_inert(text)


def write_json_array(items: Iterable[Any]) -> None:
    """One JSON array on stdout, item by item: the text ``print_json`` writes of the whole list
    (sorted keys, indented, hidden characters escaped), without holding the list."""
    sys.stdout.writelines(json_array(items))
    sys.stdout.write("\n")


def to_stdout(document: str | Iterable[str]) -> None:
    """Write a document (a report, whole or in pieces) to stdout: exact into a file or a pipe;
    on a terminal, its lines shown as ``shown`` shows them, since a terminal obeys what a file
    only holds."""
    terminal = sys.stdout.isatty()
    for piece in [document] if isinstance(document, str) else document:
        if terminal:
            piece = "\n".join(visible(line) for line in piece.split("\n"))
        sys.stdout.write(piece)
