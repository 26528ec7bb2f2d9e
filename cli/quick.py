"""The quick path of read commands: the store read as plain rows, the views read directly.

Used only where it gives exactly what the full path would (``projections.current`` says when);
everywhere else, ``None``, and the command opens the ledger and its views as it always did.
``tests/cli/test_quick_reads.py`` holds both paths' output byte for byte equal.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from diplo.domain.store.plain import PlainLedger
    from diplo.projections.current import ViewsDb


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
def current_views_of(store: str | None, views: str | None) -> Iterator[ViewsDb | None]:
    """The views of the ledger at ``store``, if they are current (nothing to catch up)."""
    from diplo.projections.binding import views_path
    from diplo.projections.current import current_views

    with plain_store(store) as ledger:
        db = None if ledger is None else current_views(ledger, views_path(ledger.location, views))
        try:
            yield db
        finally:
            if db is not None:
                db.close()
