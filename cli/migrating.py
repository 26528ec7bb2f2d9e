"""`diplo migrate --from SRC --to DST`: copy a ledger between SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Annotated

import typer

from diplo.cli.common import console, ledger_at

app = typer.Typer()


@app.command()
def migrate(
    source: Annotated[str, typer.Option("--from", help="The ledger to copy (path or URL).")],
    target: Annotated[str, typer.Option("--to", help="Where to copy it (created if missing).")],
) -> None:
    """Copy every event, preserving keys, order and hashes (`diplo verify` passes on the copy)."""
    from diplo.domain.store.migration import migrate as copy

    with ledger_at(source) as src, ledger_at(target, create=True) as dst:
        copied = copy(src, dst)
        console.print(
            f"copied {copied} events; the target holds {dst.head()}, the same as the source"
        )
