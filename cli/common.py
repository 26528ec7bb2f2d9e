"""What every command shares: store options, consoles, and turning refusals into exit codes.

Heavy modules (eventsourcing, pydantic) are imported inside commands, so `diplo --help` is quick.
"""

from __future__ import annotations

import getpass
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from diplo.cli.safe import inert_console, json_text, shown

if TYPE_CHECKING:
    from diplo.domain.app.ledger import Ledger

console = inert_console()
errors = inert_console(stderr=True)

EXIT_INVALID = 1
EXIT_INTEGRITY = 3

StoreOption = Annotated[
    str | None,
    typer.Option(
        "--store",
        help="Ledger store: a SQLite file (default ledger.db).",
        envvar="DIPLO_STORE",
        show_default=False,
    ),
]


ViewsOption = Annotated[
    str | None,
    typer.Option(
        "--views",
        help="Views database (default: beside the store, *.views.db).",
        envvar="DIPLO_VIEWS",
        show_default=False,
    ),
]


AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of", help="Transaction time: a log position or an ISO timestamp.", show_default=False
    ),
]
ValidAtOption = Annotated[
    str | None,
    typer.Option(
        "--valid-at", help="Valid time: only what had happened by this date.", show_default=False
    ),
]


class DataFormat(str, Enum):
    table = "table"
    json = "json"
    jsonl = "jsonl"


@contextmanager
def refusals() -> Iterator[None]:
    """Print a LedgerError on stderr and exit 1; nothing was written."""
    from diplo.domain.errors import IntegrityFailure
    from diplo.events.errors import LedgerError

    try:
        yield
    except LedgerError as error:
        print_error(error)
        code = EXIT_INTEGRITY if isinstance(error, IntegrityFailure) else EXIT_INVALID
        raise typer.Exit(code) from None


def print_error(error: Exception) -> None:
    """One ``error:`` line per problem; what they quote from input is shown, not obeyed.

    The problems of an invalid event are one line each, whatever their quoted input holds
    (a line break in a field name is shown as ``\\x0a``); other refusals may list several."""
    from diplo.events.errors import InvalidEvent

    if isinstance(error, InvalidEvent):
        lines = [str(problem) for problem in error.problems]
    else:
        lines = str(error).split("\n")
    for line in lines:
        errors.print(f"error: {shown(line)}")


@contextmanager
def ledger_at(store: str | None, *, create: bool = False) -> Iterator[Ledger]:
    from diplo.domain.store.opening import open_ledger

    with refusals():
        ledger = open_ledger(store, create=create)
    ledger.on_wait = _waiting
    try:
        with refusals():
            yield ledger
    finally:
        ledger.close()


def _waiting() -> None:
    errors.print("waiting for another writer to finish…")


@contextmanager
def views_of(ledger: Ledger, views: str | None) -> Iterator[Any]:
    """The views of ``ledger``, caught up first (rebuilt if their file is missing)."""
    from diplo.projections.runner import open_views, views_path

    opened = open_views(ledger, views_path(ledger.location, views))
    try:
        yield opened
    finally:
        opened.close()


def current_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in the environment (some containers)
        return "unknown"


def print_json(data: Any) -> None:
    """Stable JSON for scripts: sorted keys, UTF-8, one document (hidden characters escaped)."""
    sys.stdout.write(json_text(data, indent=2) + "\n")
