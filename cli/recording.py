"""Commands that write: init, record, import."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from diplo.cli.common import (
    EXIT_CODES_HELP,
    StoreOption,
    ViewsOption,
    console,
    current_user,
    ledger_at,
    refusals,
    update_views_after_write,
)
from diplo.cli.interop import ImportFormat, ImportFormatOption, read_iati, record_iati
from diplo.cli.safe import shown

app = typer.Typer()
NoViewsOption = Annotated[bool, typer.Option("--no-views", help="Do not update the views now.")]


@app.command()
def init(store: StoreOption = None) -> None:
    """Create an empty ledger (the store and its tables)."""
    with ledger_at(store, create=True) as ledger:
        where = _location(ledger.location)
        console.print(shown(f"ledger ready at {where} ({ledger.head()} events)"))


def _location(location: str) -> str:
    from diplo.domain.store.opening import _redacted

    return _redacted(location)


@app.command(
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    add_help_option=False,
    epilog=EXIT_CODES_HELP,
)
def record(
    ctx: typer.Context,
    type_name: Annotated[
        str, typer.Argument(metavar="TYPE", help="An event type (see `diplo schema`).")
    ] = "",
    body_json: Annotated[
        str | None, typer.Option("--json", help="The whole event body as JSON.")
    ] = None,
    store: StoreOption = None,
    views: ViewsOption = None,
    no_views: NoViewsOption = False,
    show_help: Annotated[bool, typer.Option("--help", help="Show the fields of TYPE.")] = False,
) -> None:
    """Append one event: `diplo record TYPE --FIELD VALUE …`.

    Lists repeat, nested values are JSON, `--json` gives the whole body."""
    if show_help or not type_name:
        _record_help(type_name, ctx)
        return
    from diplo.cli.fields import body_from_options
    from diplo.cli.inputs import with_hints
    from diplo.events.catalog import key_of, model_for, parse_fact
    from diplo.events.errors import InvalidEvent

    with refusals():
        model = model_for(type_name)
        body: dict[str, Any] = {"type": type_name}
        if body_json is not None:
            body |= _json_object(body_json)
        body |= body_from_options(type_name, list(ctx.args), model.model_json_schema())
        body["type"] = type_name
        try:
            fact = parse_fact(body)
        except InvalidEvent as error:
            raise with_hints(error, store) from None
    with ledger_at(store) as ledger:
        outcome = ledger.record([("", fact)], recorded_by=current_user(ledger))
        if outcome.new:
            console.print(
                shown(f"recorded {fact.type} {key_of(fact)} at position {outcome.positions[-1]}")
            )
        else:
            console.print(shown(f"already recorded: {key_of(fact)} (nothing new)"))
        if not no_views:
            update_views_after_write(ledger, views)


def _json_object(text: str) -> dict[str, Any]:
    from diplo.events.errors import InvalidEvent, Problem

    try:
        data = json.loads(text)
    except ValueError as error:
        raise InvalidEvent([Problem(f"invalid JSON: {error}", "--json")]) from None
    if not isinstance(data, dict):
        raise InvalidEvent([Problem("expected a JSON object", "--json")])
    return data


def _record_help(type_name: str, ctx: typer.Context) -> None:
    """The fields of TYPE, from its JSON Schema as generated (``diplo.events.declared``):
    asking for help builds no model."""
    from diplo.cli.fields import VALUES_HELP, field_help
    from diplo.events.declared import json_schema, type_names

    schema = json_schema(type_name)
    if schema is None:
        console.print(ctx.get_help())
        console.print("\nTypes: " + ", ".join(type_names()))
        return
    console.print(f"diplo record {type_name} [--FIELD VALUE …] [--json BODY] [--store PATH]\n")
    fields = "\n".join(field_help(schema))
    console.print(f"Fields:\n{fields}\n\n{VALUES_HELP}\n\n{EXIT_CODES_HELP}", soft_wrap=True)


@app.command("import", epilog=EXIT_CODES_HELP)
def import_(
    files: Annotated[
        list[str], typer.Argument(metavar="FILE…|-", help="JSON Lines files; - reads stdin.")
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check everything, write nothing.")
    ] = False,
    store: StoreOption = None,
    views: ViewsOption = None,
    no_views: NoViewsOption = False,
    input_format: ImportFormatOption = ImportFormat.jsonl,
) -> None:
    """Append JSON Lines: all or nothing, idempotent; prints new and skipped counts.

    The whole input is checked: every bad line is reported (the first 50, in file order),
    and then nothing is written. `--format iati` reads IATI 2.01-2.03 activity files instead.

    Files are streamed, a chunk at a time, into one store transaction: memory stays flat."""
    from diplo.cli.inputs import ImportFiles, labels
    from diplo.cli.progress import reading
    from diplo.domain.app.ahead import ReadAhead
    from diplo.events.errors import Problems

    if input_format is ImportFormat.iati:
        found = read_iati(files)  # every file checked before the ledger is opened
        with ledger_at(store) as ledger:
            record_iati(ledger, found, dry_run)
            if not (no_views or dry_run):
                update_views_after_write(ledger, views)
        return
    problems = Problems(labels(files))  # every bad line is told, in file order
    with ledger_at(store) as ledger:
        user = current_user(ledger)
        with (
            ReadAhead(ImportFiles(files, problems), user) as facts,  # read in a second process
            reading("checking and recording", facts.size) as advance,
        ):
            outcome = ledger.record(
                facts,
                recorded_by=user,
                dry_run=dry_run,
                progress=advance and (lambda _: advance(facts.position())),
                problems=problems,
            )
        verb = "would record" if dry_run else "recorded"
        console.print(
            f"{verb} {outcome.new} new, {outcome.skipped} skipped "
            f"(already recorded) from {facts.count} events"
        )
        if not (no_views or dry_run):
            update_views_after_write(ledger, views)
