"""Lines written as rich would print them, without rich's rendering where it changes nothing.

Rich lays out every ``console.print`` (segments, wrapping, styles): some 70 µs a line, a
millisecond a row of a table. A log or an audit of 100,000 events printed that way took
minutes. Most of their lines are printed as they are: one line of characters one column wide
each, no wider than the terminal, unstyled (or on a console that shows no style). Those are
written here; any other is handed to rich. The tests hold both to give the same text
(tests/cli/test_log_streams.py, tests/cli/test_lines.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from diplo.cli.safe import made

if TYPE_CHECKING:
    from rich.console import Console


def narrow(text: str) -> bool:
    """Whether each character of ``text`` prints one column wide, as rich measures it (so
    its width is its length), and none moves the cursor otherwise (a tab, a newline)."""
    if text.isascii():
        return text.isprintable()
    from rich.cells import get_character_cell_size

    return text.isprintable() and all(get_character_cell_size(c) == 1 for c in text)


def print_line(console: Console, text: str = "", style: str | None = None) -> None:
    """``console.print(text, style=style)``, written as it is when rich would print it so."""
    made_console = made(console)
    plain = style is None or made_console.color_system is None  # (no terminal: no styles)
    if plain and len(text) <= made_console.width and narrow(text):
        made_console.file.write(text + "\n")
    else:
        made_console.print(text, style=style)
