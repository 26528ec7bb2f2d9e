"""`diplo audit [ENTITY]`: the full history of an entity, corrections and sources included."""

from __future__ import annotations

from contextlib import closing
from typing import Annotated, Any

import typer

from diplo.cli.common import DataFormat, StoreOption, console, events_counted, ledger_at
from diplo.cli.lines import print_line
from diplo.cli.safe import shown, write_json_array

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
    from diplo.domain.app.audit import CORRECTIONS, amendments, trail
    from diplo.domain.store.topics import topics_among

    with ledger_at(store) as ledger:
        stop = ledger.head()  # both reads end here, whatever is appended meanwhile
        topics = topics_among(f"Entity.{name}" for name in CORRECTIONS)
        corrections = ledger.read(stop=stop, topics=topics) if stop else ()
        with closing(amendments(corrections)) as amended:  # its file removed when done
            entries = (
                e.as_data() for e in trail(ledger.read(stop=stop) if stop else (), entity, amended)
            )
            if output is not DataFormat.table:
                write_json_array(entries)
                return
            title = f"audit of {entity}" if entity else "unsourced events and uncertain dates"
            print_line(console, shown(title), style="bold")
            count = 0
            for entry in entries:
                _print_entry(entry)
                count += 1
            print_line(console)
            print_line(console, events_counted(count))


def _print_entry(e: dict[str, Any]) -> None:
    print_line(console)
    print_line(console, shown(f"#{e['position']} {e['type']} {e['key']}"), style="bold")
    print_line(console, "  " + shown(e["summary"]))
    print_line(
        console,
        "  "
        + shown(
            f"occurred {e['occurred_on'] or '—'}; recorded {e['recorded_at']} by {e['recorded_by']}"
        ),
    )
    for source in e["sources"] or [{"publisher": "NO SOURCE"}]:
        print_line(console, "  source: " + shown(", ".join(f"{v}" for v in source.values())))
    for c in e["corrections"]:
        print_line(
            console,
            "  → "
            + shown(
                f"{c['type']} #{c['position']} by {c['recorded_by']} at "
                f"{c['recorded_at']}: {c['reason']} {c['changes'] or ''}"
            ),
        )
