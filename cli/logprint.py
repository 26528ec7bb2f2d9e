"""How `diplo log` writes the entries it reads: one at a time, whatever the format, so a log of
a million events takes the memory of a few, and `diplo log | head` shows its first rows at once.

A table of up to ``BATCH`` entries is laid out as before, its count above it. A longer one is
laid out ``BATCH`` rows at a time, each part with the column widths of the first (so the parts
line up as one table), its count below it. Those parts are written as rich would lay
them out (``_lines``), folding the cells that must fold as rich does, without the rest of
rich's table layout, which cost about a millisecond a row (100,000 rows took 88 s).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from itertools import chain, islice
from typing import TYPE_CHECKING, Any

from diplo.cli.common import console, events_counted
from diplo.cli.lines import narrow
from diplo.cli.safe import json_text, made, shown, write_json_array

if TYPE_CHECKING:
    from rich.table import Table

    from diplo.cli.logfilter import Entry, LogFilter

BATCH = 1000  # table rows laid out at once
COLUMNS = ("pos", "occurred", "type", "summary", "key")
GROWTH = {0: 2, 4: 2}  # room for longer positions and keys than the first part's
# The order in which columns are narrowed to fit the terminal, and how far: the summary
# first, then the type, the key, the date, the position.
SQUEEZE = ((3, 16), (2, 12), (4, 12), (1, 8), (0, 4), (3, 6), (2, 6), (4, 6))


def write_jsonl(entries: Iterable[Entry], wanted: LogFilter) -> None:
    for entry in entries:
        sys.stdout.write(json_text(row_data(entry, wanted)) + "\n")


def write_json(entries: Iterable[Entry], wanted: LogFilter) -> None:
    """One JSON array, the text ``print_json`` writes of the whole list, entry by entry."""
    write_json_array(row_data(entry, wanted) for entry in entries)


def row_data(entry: Entry, wanted: LogFilter) -> dict[str, Any]:
    occurred = entry.occurred
    return {
        "position": entry.position,
        "key": entry.key,
        "type": entry.type,
        "recorded_at": entry.recorded_at,
        "summary": entry.summary,
        "uncertain_date": wanted.uncertain(occurred),
        "date_precision": occurred.precision if occurred else None,
        "event": entry.event,
    }


def print_table(entries: Iterable[Entry], wanted: LogFilter, batch: int = BATCH) -> None:
    rows = (cells(entry, wanted) for entry in entries)
    first = list(islice(rows, batch))
    following = next(rows, None)
    if following is None:  # all of it: laid out whole, as ever
        console.print(_table(first, title=events_counted(len(first))))
        return
    widths = fitted(first, console.width)
    console.print(_table([], widths=widths))  # the heading and the rule under it
    count = 0
    for part in _parts(chain(first, [following], rows), batch):
        _print_rows(part, widths)
        count += len(part)
    console.print(events_counted(count))


def _print_rows(rows: list[tuple[str, ...]], widths: list[int]) -> None:
    """Rows of a table laid out in parts, written as rich lays them out (``_lines``)."""
    if sum(widths) + 3 * len(widths) - 1 > console.width:  # rich narrows every column
        console.print(_table(rows, widths=widths, header=False))
        return
    made(console).file.write("".join(_lines(row, widths) for row in rows))


def _lines(row: tuple[str, ...], widths: list[int]) -> str:
    """The lines of ``row`` as rich lays it out in a part (no outer edge, a space either side
    of each cell, ``│`` between): each cell folded to its column's width, as rich folds it,
    and padded to it; a cell of fewer lines than the row padded with blank ones."""
    cells = [_folded(cell, width) for cell, width in zip(row, widths, strict=True)]
    height = max(map(len, cells))
    return "".join(
        " "
        + " │ ".join(
            lines[n] if n < len(lines) else " " * width
            for lines, width in zip(cells, widths, strict=True)
        )
        + " \n"
        for n in range(height)
    )


def _folded(cell: str, width: int) -> list[str]:
    """``cell`` as the lines of a column ``width`` wide, each padded to it. A cell of
    characters one column wide each that fits is itself; rich folds any other (``Text.wrap``,
    the fold a table's cell is given)."""
    if len(cell) <= width and narrow(cell):
        return [cell + " " * (width - len(cell))]
    from rich.cells import cell_len
    from rich.text import Text

    lines = Text(cell).wrap(made(console), width, justify="left", overflow="fold")
    return [line.plain + " " * (width - cell_len(line.plain)) for line in lines]


def cells(entry: Entry, wanted: LogFilter) -> tuple[str, ...]:
    """The row of an entry, each cell as it prints (hidden characters made visible)."""
    occurred = entry.occurred
    when = f"{occurred} (uncertain)" if wanted.uncertain(occurred) else str(occurred or "")
    return tuple(map(shown, (entry.position, when, entry.type, entry.summary, entry.key)))


def fitted(rows: list[tuple[str, ...]], width: int) -> list[int]:
    """Column widths for a table laid out in parts, from its first part (``rows``): each column
    as wide as its widest cell or heading, positions and keys with room to grow (later ones
    are longer: ``bench-999``, then ``bench-1000``); then, until the table fits ``width``,
    free text is narrowed first (it folds between words), ids last. A cell wider than its
    column folds onto more lines: nothing is cut."""
    from rich.cells import cell_len

    widths = [max([len(c), *(cell_len(row[i]) for row in rows)]) for i, c in enumerate(COLUMNS)]
    for i, room in GROWTH.items():
        widths[i] += room
    spare = width - sum(widths) - 3 * len(widths) + 1  # padding of 1 each side, 1 between
    for i, narrowest in SQUEEZE:
        cut = min(-spare, widths[i] - narrowest) if spare < 0 else 0
        if cut > 0:
            widths[i] -= cut
            spare += cut
    return widths


def _table(
    rows: list[tuple[str, ...]],
    *,
    title: str | None = None,
    widths: list[int] | None = None,
    header: bool = True,
) -> Table:
    from rich import box
    from rich.table import Table

    if widths is None:
        table = Table(title=title)
        for column in COLUMNS:
            table.add_column(column, overflow="fold")  # never hide part of a key or a type
    else:  # a part of a longer table: no outer edge, so that the parts join up
        table = Table(box=box.HEAVY_HEAD, show_edge=False, show_header=header)
        for column, width in zip(COLUMNS, widths, strict=True):
            table.add_column(column, overflow="fold", width=width)
    for row in rows:
        table.add_row(*row)
    return table


def _parts(rows: Iterator[tuple[str, ...]], size: int) -> Iterator[list[tuple[str, ...]]]:
    while part := list(islice(rows, size)):
        yield part
