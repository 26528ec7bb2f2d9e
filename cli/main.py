"""The `diplo` command: a table of commands, each imported only when it runs.

Importing every command module (and what they import) made each command pay for all the
others: `diplo log` started as slowly as `diplo import`. The table below names each command's
module and its one-line help, so `diplo --help` lists them all without importing any;
``tests/cli/test_command_table.py`` checks that it agrees with the commands themselves.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, MutableMapping
from typing import Any

import typer.main
from typer._click import Command, Context, HelpFormatter
from typer._click.utils import make_default_short_help
from typer.core import TyperGroup

HELP = "diplo: an event-sourced ledger of diplomatic activity."

# name -> (module in diplo.cli, first sentence of its help); groups are whole modules.
COMMANDS: dict[str, tuple[str, str]] = {
    "init": ("recording", "Create an empty ledger (the store and its tables)."),
    "record": ("recording", "Append one event: `diplo record TYPE --FIELD VALUE …`."),
    "import": (
        "recording",
        "Append JSON Lines: all or nothing, idempotent; prints new and skipped counts.",
    ),
    "correct": (
        "amending",
        "Record an EventCorrected: the original stays in the log, views show the correction.",
    ),
    "retract": (
        "amending",
        "Record an EventRetracted: the event stays in the log, marked retracted, out of totals.",
    ),
    "log": (
        "reading",
        "The events in log order, optionally filtered; `--as-of` and `--valid-at` look back.",
    ),
    "show": ("reading", "One event: content, provenance, corrections, position and hashes."),
    "export": (
        "reading",
        "Every event as JSON Lines, in log order; importing it into an empty ledger is identical.",
    ),
    "audit": (
        "audit",
        "Every event touching ENTITY in log order; with no ENTITY, unsourced events and events "
        "with uncertain dates.",
    ),
    "verify": (
        "auditing",
        "Recompute the hash chain and Merkle root; with checkpoints, prove the log extends them.",
    ),
    "seal": (
        "auditing",
        "Sign a checkpoint of the head: a C2SP signed note (origin, size, Merkle root), Ed25519.",
    ),
    "prove": (
        "auditing",
        "Print an inclusion proof of one event, checkable without the store "
        "(`diplo verify-proof`).",
    ),
    "verify-proof": (
        "auditing",
        "Check an inclusion proof (its label, its path, its checkpoint) without any store.",
    ),
    "migrate": (
        "migrating",
        "Copy every event, preserving keys, order and hashes (`diplo verify` passes on the copy).",
    ),
    "schema": (
        "schema",
        "Print the JSON Schema of one event type, or of every line an import file may hold.",
    ),
    "demo": (
        "demo",
        "Import the Japan–Uzbekistan seed example twice (it records once) and summarise it.",
    ),
    "browse": (
        "browse",
        "Explore the views in Datasette: described tables and columns, facets, and canned "
        "queries for auditors (unsourced events, corrections by person, funding per pair and "
        "year).",
    ),
    "views": ("views", "Catch the views up with the log, or rebuild them from position 0."),
    "report": (
        "reporting",
        "Reports from the views: partnership, grants, equipment, projects, meetings, agreements, "
        "loans, disbursements, cooperation, visits, statements, timeline.",
    ),
    "witness": ("witnessing", "Cosign checkpoints as an independent witness."),
}
SETTINGS: dict[str, Any] = {
    "add_completion": False,
    "pretty_exceptions_enable": False,
    "rich_markup_mode": None,  # plain click help: rich help rendering costs ~150 ms per call
}
GROUPS = frozenset({"views", "report", "witness"})  # whose module's app is the command


def load(name: str) -> Command:
    """The click command ``name``, built from its module's typer app (imported now) under
    the settings of ``diplo`` itself (plain click help, no completion options)."""
    import importlib

    module, _ = COMMANDS[name]
    parent = typer.Typer(**SETTINGS)
    parent.add_typer(
        importlib.import_module(f"diplo.cli.{module}").app, name=name if name in GROUPS else None
    )
    commands: dict[str, Command] = typer.main.get_command(parent).commands  # type: ignore[attr-defined]
    return commands[name]


class LazyCommands(MutableMapping[str, Command]):
    """The group's commands by name, as click keeps them: every name of the table (so
    suggestions for a mistyped command still know them all), each command loaded the first
    time it is looked up."""

    def __init__(self) -> None:
        self.loaded: dict[str, Command] = {}

    def __getitem__(self, name: str) -> Command:
        if name not in self.loaded:
            if name not in COMMANDS:
                raise KeyError(name)
            self.loaded[name] = load(name)
        return self.loaded[name]

    def __setitem__(self, name: str, command: Command) -> None:
        self.loaded[name] = command

    def __delitem__(self, name: str) -> None:
        del self.loaded[name]

    def __iter__(self) -> Iterator[str]:
        return iter(dict.fromkeys([*COMMANDS, *self.loaded]))

    def __len__(self) -> int:
        return len(dict.fromkeys([*COMMANDS, *self.loaded]))


class LazyGroup(TyperGroup):
    """Lists the commands from the table; imports one only when it is asked for."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commands = LazyCommands()

    def list_commands(self, ctx: Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Context, cmd_name: str) -> Command | None:
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: Context, formatter: HelpFormatter) -> None:
        """As click lists them (the help cut to the width left), from the table."""
        limit = formatter.width - 6 - max(len(name) for name in COMMANDS)
        rows = [
            (name, make_default_short_help(help, limit)) for name, (_, help) in COMMANDS.items()
        ]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


app = typer.Typer(cls=LazyGroup, help=HELP, no_args_is_help=True, **SETTINGS)


@app.callback()
def _diplo() -> None:
    """Nothing to do before a command: the commands are in the table."""


def run() -> None:
    # pydantic looks for plugins by scanning every installed distribution's entry points the
    # first time a model is built (30-45 ms, most of a read command's margin); diplo uses none.
    # Someone who does can set PYDANTIC_DISABLE_PLUGINS themselves (empty: all plugins load).
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    app()


if __name__ == "__main__":
    run()
