"""An HTML table's rows are written by ``dossier.table_rows``, which makes a cell that shows
its own column's value alone once per value: the assumption is checked on every cell of every
report of varied views, and the rows are those the cells make."""

from __future__ import annotations

import re

import pytest

from diplo.projections import dossier, reports
from diplo.projections.current import ViewsDb

REPORTS = ["grants", "equipment", "projects", "meetings", "timeline", "agreements", "loans"]
REPORTS += ["disbursements", "cooperation", "visits", "statements"]


@pytest.mark.parametrize("name", REPORTS)
def test_a_cell_made_from_its_value_alone_is_the_cell_made_from_its_row(
    varied_views: ViewsDb, name: str
) -> None:
    report = getattr(reports, name)(varied_views)
    checked = 0
    for section in report.sections:
        shown = dossier.shown(section).columns
        for row in section.rows:
            for column in shown:
                whole = dossier.cell(report, row, column)
                if column not in dossier.NOT_ALONE:
                    assert dossier.cell(report, {column: row.get(column)}, column) == whole
                    checked += 1
    assert checked or not any(list(section.rows) for section in report.sections)


def test_the_rows_written_are_the_cells_of_each_row_in_order(varied_views: ViewsDb) -> None:
    report = reports.grants(varied_views)
    (section,) = report.sections
    shown = dossier.shown(section).columns
    written = list(dossier.table_rows(report, section.rows, shown))
    rows = list(section.rows)
    assert len(written) == len(rows) > 100
    for tr, row in zip(written, rows, strict=True):
        opening, _, rest = tr.partition(">")
        assert opening == ('<tr class="retracted"' if row["status"] == "retracted" else "<tr")
        assert rest.endswith("</td></tr>\n")
        tds = rest.removesuffix("</td></tr>\n").split("</td>")
        assert [re.sub(r'^<td( class="(num|date)")?>', "", td) for td in tds] == [
            str(dossier.cell(report, row, c)) for c in shown
        ]


def test_values_equal_as_keys_but_printed_apart_are_each_printed_as_they_are() -> None:
    """1 and 1.0 are one key to a cache that is not typed: a later 1.0 would print as 1."""
    report = reports.Report("Equipment")
    rows = [{"quantity": 1, "status": "active"}, {"quantity": 1.0, "status": "active"}]
    written = list(dossier.table_rows(report, rows, ["quantity", "status"]))
    assert '<td class="num">1</td>' in written[0]
    assert '<td class="num">1.0</td>' in written[1]


@pytest.mark.parametrize("name", REPORTS)
def test_the_columns_a_page_shows_are_found_by_sqlite_as_by_walking_the_rows(
    varied_views: ViewsDb, name: str
) -> None:
    """``Rows.filled`` counts the rows and finds the filled columns in SQL, where a walk
    made every row a dict: the same count and columns as the walk, for every section."""
    report = getattr(reports, name)(varied_views)
    for section in report.sections:
        assert isinstance(section.rows, reports.Rows)
        held = list(section.rows)
        walked = dossier.shown(reports.Section(section.title, section.columns, held))
        found = dossier.shown(section)
        assert (found.count, found.columns) == (walked.count, walked.columns)
