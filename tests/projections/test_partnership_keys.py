"""A partnership's events are selected once per report, into a temporary table of its own:
two reports built on one connection each list their own pair's events, whenever walked."""

from __future__ import annotations

from diplo.projections.current import ViewsDb
from diplo.projections.reports import partnership


def keys_of(report: object) -> list[str]:
    timeline = report.sections[-1].rows  # type: ignore[attr-defined]
    return [row["key"] for row in timeline]


def test_two_partnerships_built_on_one_connection_each_list_their_own_events(
    varied_views: ViewsDb,
) -> None:
    pairs = [p for (p,) in varied_views.execute("SELECT pair FROM partnerships ORDER BY pair")]
    first, second = pairs[0], pairs[1]
    a = partnership(varied_views, *first.split("-"))  # type: ignore[arg-type]
    listed = keys_of(a)
    b = partnership(varied_views, *second.split("-"))  # type: ignore[arg-type]
    assert listed and keys_of(b) and set(keys_of(b)) != set(listed)
    assert keys_of(a) == listed  # walked again, after the other report was built
    assert len(a.sources) == len(listed)  # type: ignore[arg-type]
