"""Rendering walks a table's rows more than once (a count heads it, its columns depend on what
the rows fill): rows that can be walked only once are held first, so every format shows them
all; rows read afresh each time are never held, and the page is written a piece at a time."""

from __future__ import annotations

import re

import pytest

from diplo.projections import render
from diplo.projections.reports import Report, Section

COLUMNS = ["key", "purpose", "value", "currency", "status"]


def grants(count: int) -> list[dict[str, str]]:
    return [
        {"key": f"g-{n}", "purpose": f"clinic {n}", "value": "1000", "currency": "JPY"}
        | {"status": "active"}
        for n in range(count)
    ]


@pytest.mark.parametrize("form", ["md", "html", "csv", "json"])
def test_rows_that_can_be_walked_only_once_are_all_shown(form: str) -> None:
    once = Report("Grants", sections=[Section("Grants", COLUMNS, iter(grants(3)), "grants")])
    text = "".join(render.chunks(once, form))
    assert all(f"clinic {n}" in text for n in range(3))
    if form in ("md", "html"):
        assert "Grants (3)" in text


def test_a_large_page_is_written_in_pieces_that_make_the_whole_page() -> None:
    def report() -> Report:
        return Report("Grants", sections=[Section("Grants", COLUMNS, grants(3000), "grants")])

    pieces = list(render.chunks(report(), "html"))
    assert len(pieces) > 1
    assert "".join(pieces) == render.html(report())
    assert len(re.findall("<tr>", "".join(pieces))) == 3000 + 1  # the rows and the header


def test_a_column_no_row_fills_is_left_out_of_the_page() -> None:
    rows = [{"key": "g-1", "purpose": "", "value": "5", "currency": "USD", "status": "active"}]
    page = render.html(Report("Grants", sections=[Section("Grants", COLUMNS, rows, "grants")]))
    headers = re.findall(r"<th>([^<]*)</th>", page)
    assert headers == ["key", "amount", "status"]
