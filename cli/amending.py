"""`diplo correct` and `diplo retract`: new events that amend an earlier one, never erase it."""

from __future__ import annotations

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
from diplo.cli.safe import shown

app = typer.Typer()
ReasonOption = Annotated[str, typer.Option("--reason", help="Why (kept with the correction).")]


@app.command(epilog=EXIT_CODES_HELP)
def correct(
    key: Annotated[str, typer.Argument(help="Key of the event to correct.")],
    sets: Annotated[
        list[str],
        typer.Option(
            "--set", help="FIELD=VALUE (repeat; lists repeat, nested values are JSON, null clears)."
        ),
    ],
    reason: ReasonOption,
    store: StoreOption = None,
    views: ViewsOption = None,
) -> None:
    """Record an EventCorrected: the original stays in the log, views show the correction."""
    with ledger_at(store) as ledger:
        with refusals():
            changes = _changes(ledger, key, sets)
        _record(
            ledger,
            {"type": "EventCorrected", "target": key, "changes": changes, "reason": reason},
            views,
        )


@app.command(epilog=EXIT_CODES_HELP)
def retract(
    key: Annotated[str, typer.Argument(help="Key of the event to retract.")],
    reason: ReasonOption,
    store: StoreOption = None,
    views: ViewsOption = None,
) -> None:
    """Record an EventRetracted: the event stays in the log, marked retracted, out of totals."""
    with ledger_at(store) as ledger:
        _record(ledger, {"type": "EventRetracted", "target": key, "reason": reason}, views)


def _changes(ledger: Any, key: str, sets: list[str]) -> dict[str, Any]:
    """``FIELD=VALUE`` pairs typed by the target's own schema (as `diplo record` does)."""
    from diplo.cli.fields import body_from_options
    from diplo.domain.errors import UnknownEvent
    from diplo.events.errors import InvalidEvent, Problem

    stored = ledger.get_event(key)
    if stored is None:
        raise UnknownEvent(f"target: no event with key {key!r}; see `diplo log` for keys")
    args: list[str] = []
    nulls = []
    for item in sets:
        name, eq, value = item.partition("=")
        if not eq or not name:
            raise InvalidEvent([Problem(f"expected FIELD=VALUE, got {item!r}", "--set")])
        if value == "null":
            nulls.append(name.replace("-", "_"))
        else:
            args += [f"--{name}", value]
    schema = type(stored.fact).model_json_schema()
    changes = body_from_options(stored.fact.type, args, schema)
    del changes["type"]
    return changes | {name: None for name in nulls}


def _record(ledger: Any, body: dict[str, Any], views: str | None) -> None:
    from diplo.events.catalog import key_of, parse_fact

    with refusals():
        fact = parse_fact(body)
        outcome = ledger.record([("", fact)], recorded_by=current_user(ledger))
    verb = "recorded" if outcome.new else "already recorded:"
    console.print(shown(f"{verb} {fact.type} {key_of(fact)} of {body['target']}"))
    update_views_after_write(ledger, views)
