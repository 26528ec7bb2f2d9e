"""Commands that read the log: log, show, export."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Annotated

import typer

from diplo.cli import interop
from diplo.cli.common import (
    AsOfOption,
    DataFormat,
    StoreOption,
    ValidAtOption,
    ledger_at,
    print_json,
    refusals,
)
from diplo.cli.interop import ExportFormat, ExportFormatOption, ReportingOrgOption
from diplo.cli.safe import json_text

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from diplo.cli.logfilter import Entry, LogFilter

    Writer = Callable[[Iterable[Entry], LogFilter], None]

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
    from diplo.cli import logprint
    from diplo.cli.logfilter import LogFilter

    with refusals():
        wanted = LogFilter.parse(type_name, country, since, until, valid_at)
    write = {
        DataFormat.table: logprint.print_table,
        DataFormat.json: logprint.write_json,
        DataFormat.jsonl: logprint.write_jsonl,
    }[output]
    if as_of is None and _quick_log(store, wanted, write):
        return
    from diplo.domain.model.timeaxis import position_as_of

    with ledger_at(store) as ledger:
        stop = position_as_of(ledger, as_of, "--as-of") if as_of else None
        write(wanted.apply(ledger.read(stop=stop) if stop != 0 else iter(())), wanted)


def _quick_log(store: str | None, wanted: LogFilter, write: Writer) -> bool:
    """Write the log read as plain rows, with the summaries and countries the current views
    keep (``_log``); False, writing nothing, if the views are not current or their log does
    not follow the ledger's (the ledger is then read as facts)."""
    from diplo.cli.quick import ViewsOutOfStep, in_step, logged, quick_reads

    # `log` has no --views: the views are where the writes put them (DIPLO_VIEWS, or beside)
    with quick_reads(store, os.environ.get("DIPLO_VIEWS")) as found:
        if found is None:
            return False
        try:
            in_step(*found)  # checked before the first line is written: it streams
        except ViewsOutOfStep as damage:  # derived data gone wrong: the ledger still holds all
            from diplo.cli.common import errors

            errors.print(
                f"note: {damage}; reading the ledger instead "
                "(`diplo views rebuild` builds the views again)",
                markup=False,
            )
            return False
        try:
            write(wanted.select(logged(*found)), wanted)
        except ViewsOutOfStep as damage:  # the views held, so the ledger lacks rows: stop
            from diplo.cli.common import EXIT_INTEGRITY, errors

            errors.print(
                f"error: {damage}; the log printed stops there (`diplo verify` checks the ledger)",
                markup=False,
            )
            raise typer.Exit(EXIT_INTEGRITY) from None
        return True


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
            sys.stdout.write(json_text(canonical_dict(stored.fact)) + "\n")  # exact, inert
