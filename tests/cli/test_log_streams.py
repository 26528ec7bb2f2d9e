"""`diplo log` writes each entry as it reads it. Its JSON is the very text of the whole list;
a table too long to lay out at once is laid out in parts that line up as one table, every
row and every character of it shown, its count below it."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from contextlib import redirect_stdout

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from diplo.cli import logprint
from diplo.cli.logfilter import Entry, LogFilter
from diplo.cli.safe import json_text
from diplo.events.basic import PartialDate
from tests.cli.consoles import string_console, written

WANTED = LogFilter()


def entries(count: int, key: str = "k") -> list[Entry]:
    return [
        Entry(
            n,
            f"{key}-{n}",
            "MeetingHeld",
            "2026-01-02T03:04:05+00:00",
            PartialDate("2025-05?") if n % 2 else None,
            f"Meeting {n} \u202e held",  # a hidden character: escaped in JSON, shown in tables
            {"type": "MeetingHeld", "key": f"{key}-{n}", "n": n},
        )
        for n in range(1, count + 1)
    ]


@pytest.mark.parametrize("count", [0, 1, 5])
def test_the_json_is_the_text_of_the_whole_list(count: int) -> None:
    out = io.StringIO()
    with redirect_stdout(out):
        logprint.write_json(iter(entries(count)), WANTED)
    whole = [logprint.row_data(e, WANTED) for e in entries(count)]
    assert out.getvalue() == json_text(whole, indent=2) + "\n"
    assert json.loads(out.getvalue()) == json.loads(json_text(whole))


def test_json_lines_are_one_entry_each() -> None:
    out = io.StringIO()
    with redirect_stdout(out):
        logprint.write_jsonl(iter(entries(3)), WANTED)
    assert [json.loads(line)["position"] for line in out.getvalue().splitlines()] == [1, 2, 3]


def printed_table(rows: list[Entry], width: int, batch: int) -> list[str]:
    saved, logprint.console = logprint.console, string_console(width)
    try:
        logprint.print_table(iter(rows), WANTED, batch=batch)
        return written(logprint.console).splitlines()
    finally:
        logprint.console = saved


def test_a_table_longer_than_a_part_lines_up_shows_every_row_and_counts_them_below() -> None:
    lines = printed_table(entries(7, key="a-key-long-enough-to-fold-in-narrow-columns"), 70, 3)
    rows = [line for line in lines if re.match(r"^ \d+ ", line)]
    assert [int(line.split()[0]) for line in rows] == list(range(1, 8))  # once each, in order
    bars = {tuple(m.start() for m in re.finditer("│", line)) for line in lines if "│" in line}
    assert len(bars) == 1  # every line of every part has its bars at the same places
    assert all(len(line) <= 70 for line in lines)
    assert lines[-1] == "7 events"
    folded = "".join(line.split("│")[-1].strip() for line in lines if "│" in line)
    assert "a-key-long-enough-to-fold-in-narrow-columns-7" in folded  # folded, never cut
    assert "\\u202e" in "\n".join(lines)  # shown as an escape, never obeyed


def test_a_table_of_one_part_is_laid_out_whole_its_count_above() -> None:
    lines = printed_table(entries(3), 100, 3)
    assert lines[0].strip() == "3 events"
    assert lines[1].startswith("┏") and lines[-1].startswith("└")


def test_columns_are_narrowed_free_text_first_to_fit_the_terminal() -> None:
    rows = [logprint.cells(e, WANTED) for e in entries(3)]
    roomy = logprint.fitted(rows, 200)
    narrow = logprint.fitted(rows, 60)
    assert sum(narrow) + 3 * len(narrow) - 1 <= 60
    summary = logprint.COLUMNS.index("summary")
    assert narrow[summary] < roomy[summary]
    assert narrow[logprint.COLUMNS.index("pos")] == roomy[logprint.COLUMNS.index("pos")]


# Cells as a log may hold them: words, wide and zero-width characters, visible escapes.
CELL = st.text(st.sampled_from([*"ab Z09-_.:/\\", "—", "ʻ", "é", "日", "\u0301", "🙂", "\t"]))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(*[CELL] * len(logprint.COLUMNS)), max_size=6),
    st.lists(st.integers(1, 14), min_size=5, max_size=5),
    st.integers(20, 90),
    st.booleans(),
)
def test_rows_written_without_rich_are_the_lines_rich_lays_out(
    rows: list[tuple[str, ...]], widths: list[int], width: int, terminal: bool
) -> None:
    """On a terminal too: rich styles no part of a row (its heading, laid out by rich, is
    bold there)."""

    def printed(write: Callable[[], None]) -> str:
        saved, logprint.console = logprint.console, string_console(width, terminal)
        try:
            write()
            return written(logprint.console)
        finally:
            logprint.console = saved

    laid_out = printed(
        lambda: logprint.console.print(logprint._table(rows, widths=widths, header=False))
    )
    assert printed(lambda: logprint._print_rows(rows, widths)) == laid_out


def test_a_long_table_is_written_row_by_row_without_laying_out_a_table_of_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Rich's table layout costs a millisecond a row: past the heading, rows are written as
    lines, folding included (the lines are rich's, as the test above shows)."""
    laid_out: list[int] = []
    table = logprint._table
    monkeypatch.setattr(
        logprint, "_table", lambda rows, **kw: laid_out.append(len(rows)) or table(rows, **kw)
    )
    lines = printed_table(entries(50, key="a-key-long-enough-to-fold-in-narrow-columns"), 70, 10)
    assert laid_out == [0]  # the heading alone
    assert [int(line.split()[0]) for line in lines if re.match(r"^ \d+ ", line)] == list(
        range(1, 51)
    )
    assert len(lines) > 2 * 50  # the keys folded
