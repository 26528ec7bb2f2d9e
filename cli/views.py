"""`diplo views update|rebuild`: keep the projections in step with the log."""

from __future__ import annotations

import typer

from cli.common import StoreOption, ViewsOption, console, ledger_at

app = typer.Typer(help="Catch the views up with the log, or rebuild them from position 0.")


@app.command()
def update(store: StoreOption = None, views: ViewsOption = None) -> None:
    """Apply the events recorded since the views were last updated."""
    from projections.runner import update as catch_up
    from projections.runner import views_path
    from projections.views import Views

    with ledger_at(store) as ledger:
        path = views_path(ledger.env.get("SQLITE_DBNAME") or "", views)
        opened = Views(path)
        try:
            applied = catch_up(ledger, opened)
            console.print(f"views at {path}: applied {applied} events, now at position "
                          f"{opened.max_tracking_id() or 0}")
        finally:
            opened.close()


@app.command()
def rebuild(store: StoreOption = None, views: ViewsOption = None) -> None:
    """Drop the views and rebuild them from position 0 (into a new file, swapped in at the end)."""
    from projections.runner import rebuild as rebuild_views
    from projections.runner import views_path

    with ledger_at(store) as ledger:
        path = views_path(ledger.env.get("SQLITE_DBNAME") or "", views)
        applied = rebuild_views(ledger, path)
        console.print(f"views at {path}: rebuilt from {applied} events")
