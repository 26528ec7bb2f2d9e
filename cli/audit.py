"""`diplo audit [ENTITY]`: the full history of an entity, corrections and sources included."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from diplo.cli.common import DataFormat, StoreOption, console, ledger_at, print_json
from diplo.cli.safe import shown

app = typer.Typer()


@app.command()
def audit(
    entity: Annotated[
        str | None,
        typer.Argument(
            help="An id (org, person, grant, project, meeting…) or a country pair like JP-UZ."
        ),
    ] = None,
    output: Annotated[
        DataFormat, typer.Option("--format", help="table or json.")
    ] = DataFormat.table,
    store: StoreOption = None,
) -> None:
    """Every event touching ENTITY in log order; with no ENTITY, unsourced events and events
    with uncertain dates."""
    from diplo.domain.app.audit import trail

    with ledger_at(store) as ledger:
        entries = [entry.as_data() for entry in trail(ledger.read(), entity)]
    if output is not DataFormat.table:
        print_json(entries)
        return
    title = f"audit of {entity}" if entity else "unsourced events and uncertain dates"
    console.print(shown(title), style="bold", end="")
    console.print(f": {len(entries)} events")
    for entry in entries:
        _print_entry(entry)


def _print_entry(e: dict[str, Any]) -> None:
    console.print()
    console.print(shown(f"#{e['position']} {e['type']} {e['key']}"), style="bold")
    console.print("  " + shown(e["summary"]))
    console.print(
        "  "
        + shown(
            f"occurred {e['occurred_on'] or '—'}; recorded {e['recorded_at']} by {e['recorded_by']}"
        )
    )
    for source in e["sources"] or [{"publisher": "NO SOURCE"}]:
        console.print("  source: " + shown(", ".join(f"{v}" for v in source.values())))
    for c in e["corrections"]:
        console.print(
            "  → "
            + shown(
                f"{c['type']} #{c['position']} by {c['recorded_by']} at "
                f"{c['recorded_at']}: {c['reason']} {c['changes'] or ''}"
            )
        )
