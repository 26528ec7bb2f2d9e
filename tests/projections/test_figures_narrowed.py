"""A report's figures and charts, and the totals of ``--in``, fold only the columns they read
(``money.only``): the same figures as folding whole rows, on real articles and generated
events with corrections and retractions. Whole rows of 200,000 grants took 1.1 s a pass;
narrowed, 0.2 s."""

from __future__ import annotations

from typing import Any

import pytest

from diplo.projections import reports
from diplo.projections.conversion import convert
from diplo.projections.current import ViewsDb

SIMPLE = ["grants", "equipment", "projects", "meetings", "timeline", "agreements", "loans"]
SIMPLE += ["disbursements", "cooperation", "visits", "statements"]
PAIRS = [("JP", "UZ"), ("IN", "JP"), ("JP", "LR"), ("KZ", "UZ")]


def built(db: ViewsDb, name: str, *args: str) -> tuple[Any, Any, Any]:
    """The report's figures and charts, and its figures with amounts also told in euros."""
    report = getattr(reports, name)(db, *args)
    converted = convert(getattr(reports, name)(db, *args), "EUR")
    return report.figures, [vars(chart) for chart in report.charts], converted.figures


@pytest.mark.parametrize(
    ("name", "args"), [*((n, ()) for n in SIMPLE), *(("partnership", p) for p in PAIRS)]
)
def test_figures_folded_from_narrowed_rows_are_those_of_whole_rows(
    varied_views: ViewsDb, name: str, args: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    narrowed = built(varied_views, name, *args)
    monkeypatch.setattr(reports.Rows, "of", lambda rows, *columns: rows)  # whole rows
    assert narrowed == built(varied_views, name, *args)


def test_the_rows_fold_what_the_figures_must_tell_apart(varied_views: ViewsDb) -> None:
    """Retracted rows, amounts stated as ceilings or approximations, several currencies,
    counts stated or not: a narrowing that dropped a column would change a figure."""
    rows = list(varied_views.query("SELECT status, qualifier, currency FROM grants"))
    assert {"retracted", "active", "corrected"} <= {r["status"] for r in rows}
    assert len({r["currency"] for r in rows}) > 2
    qualifiers = {r["qualifier"] for r in varied_views.query("SELECT qualifier FROM loans")}
    qualifiers |= {r["qualifier"] for r in rows}
    assert {"up-to"} & qualifiers or {"about"} & qualifiers
    quantities = {
        r["quantity"] is None for r in varied_views.query("SELECT quantity FROM funded_equipment")
    }
    assert quantities == {True, False}
