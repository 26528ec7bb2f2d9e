"""Consoles as diplo's own (no markup, emoji codes or highlighting), writing to a string."""

from __future__ import annotations

import io

from rich.console import Console


def string_console(width: int, terminal: bool = False) -> Console:
    """A console ``width`` columns wide into a ``StringIO`` (``console.file``); on a terminal
    that shows colours, or on none."""
    return Console(
        file=io.StringIO(),
        width=width,
        markup=False,
        emoji=False,
        highlight=False,
        force_terminal=terminal,
        color_system="truecolor" if terminal else None,
    )


def written(console: Console) -> str:
    return console.file.getvalue()  # type: ignore[attr-defined, no-any-return]
