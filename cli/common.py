"""What every command shares: store options, consoles, and turning refusals into exit codes.

Heavy modules (eventsourcing, pydantic) are imported inside commands, so `diplo --help` is quick.
"""

from __future__ import annotations

import getpass
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

if TYPE_CHECKING:
    from diplo.domain.app.ledger import Ledger

console = Console()
errors = Console(stderr=True, highlight=False, soft_wrap=True)

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
        for line in str(error).splitlines():
            errors.print(f"error: {line}", markup=False)
        code = EXIT_INTEGRITY if isinstance(error, IntegrityFailure) else EXIT_INVALID
        raise typer.Exit(code) from None


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
    errors.print("waiting for another writer to finish…", markup=False)


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
    """Stable JSON for scripts: sorted keys, UTF-8, one document."""
    sys.stdout.write(json.dumps(data, sort_keys=True, ensure_ascii=False, indent=2) + "\n")
