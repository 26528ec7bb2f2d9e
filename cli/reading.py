"""Commands that read the log: log, show, export."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer

from diplo.cli import interop
from diplo.cli.common import (
    AsOfOption,
    DataFormat,
    StoreOption,
    ValidAtOption,
    console,
    ledger_at,
    print_json,
    refusals,
)
from diplo.cli.interop import ExportFormat, ExportFormatOption, ReportingOrgOption
from diplo.cli.safe import json_text, shown

if TYPE_CHECKING:
    from diplo.cli.logfilter import Entry, LogFilter

app = typer.Typer()


@app.command("log")
def log_(
    type_name: Annotated[str | None, typer.Option("--type", help="Only this event type.")] = None,
    country: Annotated[
        str | None, typer.Option(help="Only events involving this country (ISO code).")
    ] = None,
    since: Annotated[
        str | None, typer.Option(help="Only events that may have happened on or after this date.")
    ] = None,
    until: Annotated[
        str | None, typer.Option(help="Only events that may have happened on or before this date.")
    ] = None,
    output: Annotated[
        DataFormat, typer.Option("--format", help="table, json or jsonl.")
    ] = DataFormat.table,
    as_of: AsOfOption = None,
    valid_at: ValidAtOption = None,
    store: StoreOption = None,
) -> None:
    """The events in log order, optionally filtered; `--as-of` and `--valid-at` look back."""
    from diplo.cli.logfilter import LogFilter

    with refusals():
        wanted = LogFilter.parse(type_name, country, since, until, valid_at)
    rows = None if as_of else _quick_log(store, wanted)
    if rows is None:
        from diplo.domain.model.timeaxis import position_as_of

        with ledger_at(store) as ledger:
            stop = position_as_of(ledger, as_of, "--as-of") if as_of else None
            rows = list(wanted.apply(ledger.read(stop=stop) if stop != 0 else iter(())))
    if output is DataFormat.table:
        _print_table(rows, wanted)
    elif output is DataFormat.json:
        print_json([_row_data(entry, wanted) for entry in rows])
    else:
        for entry in rows:
            sys.stdout.write(_compact(_row_data(entry, wanted)) + "\n")


def _quick_log(store: str | None, wanted: LogFilter) -> list[Entry] | None:
    """The log read as plain rows, with the summaries and countries the current views keep
    (``_log``); None if the views are not current (the ledger is then read as facts)."""
    from diplo.cli.quick import ViewsOutOfStep, logged, quick_reads

    # `log` has no --views: the views are where the writes put them (DIPLO_VIEWS, or beside)
    with quick_reads(store, os.environ.get("DIPLO_VIEWS")) as found:
        try:
            return None if found is None else list(wanted.select(logged(*found)))
        except ViewsOutOfStep as damage:  # derived data gone wrong: the ledger still holds all
            from diplo.cli.common import errors

            errors.print(
                f"note: {damage}; reading the ledger instead "
                "(`diplo views rebuild` builds the views again)",
                markup=False,
            )
            return None


def _row_data(entry: Entry, wanted: LogFilter) -> dict[str, Any]:
    occurred = entry.occurred
    return {
        "position": entry.position,
        "key": entry.key,
        "type": entry.type,
        "recorded_at": entry.recorded_at,
        "summary": entry.summary,
        "uncertain_date": wanted.uncertain(occurred),
        "date_precision": occurred.precision if occurred else None,
        "event": entry.event,
    }


def _compact(data: Any) -> str:
    """One JSON line: exact data, hidden characters written as JSON escapes."""
    return json_text(data)


def _print_table(rows: list[Entry], wanted: LogFilter) -> None:
    from rich.table import Table

    table = Table(title=f"{len(rows)} event" + ("" if len(rows) == 1 else "s"))
    for column in ("pos", "occurred", "type", "summary", "key"):
        table.add_column(column, overflow="fold")  # never hide part of a key or a type
    for entry in rows:
        occurred = entry.occurred
        when = f"{occurred} (uncertain)" if wanted.uncertain(occurred) else str(occurred or "")
        cells = (entry.position, when, entry.type, entry.summary, entry.key)
        table.add_row(*map(shown, cells))
    console.print(table)


@app.command()
def show(
    key: Annotated[str, typer.Argument(help="The event's key.")],
    output: Annotated[
        DataFormat, typer.Option("--format", help="table or json.")
    ] = DataFormat.table,
    store: StoreOption = None,
) -> None:
    """One event: content, provenance, corrections, position and hashes."""
    from diplo.cli.quick import plain_store
    from diplo.cli.showing import describe_event, describe_stored

    with plain_store(store) as plain:
        if plain is not None:
            with refusals():
                data = describe_stored(plain, key)
    if plain is None:
        with ledger_at(store) as ledger:
            data = describe_event(ledger, key)
    if output is DataFormat.table:
        from diplo.cli.showing import print_description

        print_description(data)
    else:
        print_json(data)


@app.command()
def export(
    as_of: AsOfOption = None,
    store: StoreOption = None,
    output: ExportFormatOption = ExportFormat.jsonl,
    reporting_org: ReportingOrgOption = None,
) -> None:
    """Every event as JSON Lines, in log order; importing it into an empty ledger is identical.

    `--format iati` writes IATI 2.03 activity XML, `--format cameo` CAMEO/PLOVER rows."""
    from diplo.domain.model.timeaxis import position_as_of
    from diplo.events.catalog import canonical_dict

    with ledger_at(store) as ledger:
        stop = position_as_of(ledger, as_of, "--as-of") if as_of else None
        if output is not ExportFormat.jsonl:
            interop.export_as(ledger, stop, output, reporting_org)
            return
        for stored in ledger.read(stop=stop) if stop != 0 else ():
            sys.stdout.write(_compact(canonical_dict(stored.fact)) + "\n")
