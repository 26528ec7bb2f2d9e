"""The `diplo` command: assembles the sub-apps, nothing else."""

from __future__ import annotations

import typer

from diplo.cli import (
    amending,
    audit,
    auditing,
    browse,
    demo,
    migrating,
    reading,
    recording,
    reporting,
    schema,
    views,
    witnessing,
)

app = typer.Typer(
    help="diplo: an event-sourced ledger of diplomatic activity.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain click help: rich help rendering costs ~150 ms per call
)
for sub in (
    recording.app,
    amending.app,
    reading.app,
    audit.app,
    auditing.app,
    migrating.app,
    schema.app,
    demo.app,
    browse.app,
):
    app.add_typer(sub)
app.add_typer(views.app, name="views")
app.add_typer(reporting.app, name="report")
app.add_typer(witnessing.app, name="witness")


def run() -> None:
    app()


if __name__ == "__main__":
    run()
