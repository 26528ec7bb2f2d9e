"""`diplo views update|rebuild`: keep the projections in step with the log."""

from __future__ import annotations

import typer

from diplo.cli.common import (
    EXIT_INVALID,
    AsOfOption,
    StoreOption,
    ViewsOption,
    console,
    ledger_at,
    notice,
    refusals,
    views_trouble,
)
from diplo.cli.progress import progress
from diplo.cli.safe import shown

app = typer.Typer(help="Catch the views up with the log, or rebuild them from position 0.")


@app.command()
def update(store: StoreOption = None, views: ViewsOption = None) -> None:
    """Apply the events recorded since the views were last updated.

    Views of another ledger, or that no longer match this one (a restored backup), are
    rebuilt instead: they are never read."""
    from diplo.projections.runner import catch_up, views_path

    with ledger_at(store) as ledger:
        path = views_path(ledger.location, views)
        with views_trouble(path, EXIT_INVALID, "cannot update the views"):
            with progress("updating views") as advance:
                opened, applied = catch_up(ledger, path, progress=advance, notice=notice)
            try:
                position = opened.max_tracking_id() or 0
            finally:
                opened.close()
        console.print(
            shown(f"views at {path}: applied {applied} events, now at position {position}")
        )


@app.command()
def rebuild(as_of: AsOfOption = None, store: StoreOption = None, views: ViewsOption = None) -> None:
    """Drop the views and rebuild them from position 0 (into a new file, swapped in at the end).

    With `--as-of` they show what the ledger held then; `views update` later catches up."""
    from diplo.domain.model.timeaxis import position_as_of
    from diplo.projections.runner import rebuild as rebuild_views
    from diplo.projections.runner import views_path

    with ledger_at(store) as ledger:
        path = views_path(ledger.location, views)
        with refusals():
            stop = position_as_of(ledger, as_of, "--as-of") if as_of else None
        with (
            views_trouble(path, EXIT_INVALID, "cannot rebuild the views"),
            progress("rebuilding views") as advance,
        ):
            applied = rebuild_views(ledger, path, stop=stop, progress=advance)
        console.print(shown(f"views at {path}: rebuilt from {applied} events"))
