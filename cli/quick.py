"""The quick path of read commands: the store read as plain rows, the views read directly.

Used only where it gives exactly what the full path would (``projections.current`` says when);
everywhere else, ``None``, and the command opens the ledger and its views as it always did.
``tests/cli/test_quick_reads.py`` holds both paths' output byte for byte equal.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from itertools import zip_longest
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from diplo.domain.store.plain import PlainLedger
    from diplo.projections.current import ViewsDb


class ViewsOutOfStep(Exception):
    """The views say they are current, but their rows do not follow the ledger (a views
    file damaged or edited by hand): the command reads the ledger instead."""


@contextmanager
def plain_store(store: str | None) -> Iterator[PlainLedger | None]:
    """The SQLite ledger at ``store`` for plain reading, or None (see ``plain_ledger``)."""
    from diplo.domain.store.plain import plain_ledger

    ledger = plain_ledger(store)
    try:
        yield ledger
    finally:
        if ledger is not None:
            ledger.close()


@contextmanager
def quick_reads(
    store: str | None, views: str | None
) -> Iterator[tuple[PlainLedger, ViewsDb] | None]:
    """The ledger at ``store`` and its views, if they are current (nothing to catch up)."""
    from diplo.projections.binding import views_path
    from diplo.projections.current import current_views

    with plain_store(store) as ledger:
        db = None if ledger is None else current_views(ledger, views_path(ledger.location, views))
        try:
            yield None if ledger is None or db is None else (ledger, db)
        finally:
            if db is not None:
                db.close()


def in_step(ledger: PlainLedger, views: ViewsDb) -> None:
    """Raise ViewsOutOfStep unless the views' log holds each position up to the one they were
    found current at, once: counted in the views alone, and walked beside the ledger only to
    name the first position where they part. (``logged`` checks each row again as it is
    read: a ledger missing rows is then found there.)"""
    count, first, last = views.execute(
        "SELECT COUNT(*), MIN(position), MAX(position) FROM _log WHERE position <= ?",
        [views.position],
    ).fetchone()
    if count == views.position and (not count or (first, last) == (1, count)):
        return
    for _ in logged(ledger, views):  # raises, naming where they part
        pass
    raise ViewsOutOfStep(f"the views' log holds {count} rows up to position {views.position}")


def logged(ledger: PlainLedger, views: ViewsDb) -> Iterator[tuple[int, bytes, str, list[str]]]:
    """Every stored row with what the views keep of it for `diplo log` (``_log``): its
    summary and countries. Both up to the position the views were found current at (a
    writer may append meanwhile), where they hold the same positions."""
    kept = views.execute(
        "SELECT position, summary, countries FROM _log WHERE position <= ? ORDER BY position",
        [views.position],
    )
    rows = ledger.rows(stop=views.position)
    for row, logged_row in zip_longest(rows, kept):
        if row is None or logged_row is None:
            ends = "the ledger" if row is None else "the views' log"
            raise ViewsOutOfStep(f"{ends} ends first, before position {views.position}")
        (position, state), (at, summary, countries) = row, logged_row
        if at != position:
            raise ViewsOutOfStep(f"the views' log is at {at} where the ledger is at {position}")
        yield position, state, summary, countries.split(",") if countries else []
