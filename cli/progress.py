"""Progress bars for long jobs: on a terminal only, on stderr, and only past a few thousand
events, so scripts and pipes see exactly the output they saw before."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from diplo.cli.common import errors
from diplo.cli.safe import made, shown

if TYPE_CHECKING:
    from rich.console import Console

THRESHOLD = 2000
Advance = Callable[[int, int], None]


@contextmanager
def progress(
    label: str, console: Console = errors, threshold: int = THRESHOLD
) -> Iterator[Advance | None]:
    """A callback ``(done, total)`` drawing a bar, or None when there is no terminal."""
    if not console.is_terminal:
        yield None
        return
    from rich.progress import MofNCompleteColumn

    with _bar(console, MofNCompleteColumn()) as bar:
        task: list[int] = []

        def advance(done: int, total: int) -> None:
            if total < threshold:
                return
            if not task:
                task.append(bar.add_task(shown(label), total=total))
            bar.update(task[0], completed=done, total=total)

        yield advance


BYTES_THRESHOLD = 1 << 20  # about 2,500 events of a typical import file


@contextmanager
def reading(
    label: str, total: int | None, console: Console = errors, threshold: int = BYTES_THRESHOLD
) -> Iterator[Callable[[int], None] | None]:
    """A callback ``(bytes read)`` drawing a bar over a file of ``total`` bytes, or None when
    there is no terminal, no known size (stdin) or too little to wait for."""
    if not console.is_terminal or total is None or total < threshold:
        yield None
        return
    from rich.progress import DownloadColumn

    with _bar(console, DownloadColumn()) as bar:
        task = bar.add_task(shown(label), total=total)
        yield lambda done: bar.update(task, completed=done)


def _bar(console: Console, counter: Any) -> Any:
    """A transient bar: label (plain text, never markup), bar, ``counter`` (events or bytes),
    time left."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    return Progress(
        TextColumn("{task.description}", style="progress.description", markup=False),
        BarColumn(),
        counter,
        TimeRemainingColumn(),
        console=made(console),  # rich is handed the console itself
        transient=True,
    )
