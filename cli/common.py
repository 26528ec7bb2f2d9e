"""What every command shares: store options, consoles, and turning refusals into exit codes.

Heavy modules (eventsourcing, pydantic) are imported inside commands, so `diplo --help` is quick.
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from diplo.cli.safe import inert_console, json_text, shown

if TYPE_CHECKING:
    from diplo.domain.app.ledger import Ledger

console = inert_console()
errors = inert_console(stderr=True)

EXIT_INVALID = 1
EXIT_INTEGRITY = 3
EXIT_VIEWS_BEHIND = 4  # the events were recorded; the views could not be brought up to date

# Said in the --help of every command that writes.
EXIT_CODES_HELP = (
    "Exit codes: 0 ok; 1 invalid input or a rule broken, nothing was written; "
    "4 recorded, but the views could not be updated (the message says why and how to catch up)."
)

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
        help=(
            "Views database (default: beside a SQLite store, *.views.db; for PostgreSQL, "
            "one per server, database and schema in this folder)."
        ),
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
    """The views of ``ledger``, caught up first (rebuilt if missing or not the ledger's)."""
    from diplo.projections.runner import open_views, views_path

    path = views_path(ledger.location, views)
    with views_trouble(path, EXIT_INVALID, "cannot read the views"):
        opened = open_views(ledger, path, notice=notice)
    try:
        yield opened
    finally:
        opened.close()


def update_views_after_write(ledger: Ledger, views: str | None) -> None:
    """Bring the views up to date after events were recorded. If they cannot be, the events
    stay recorded: say so, why, and how to catch up, and exit 4 (never 1, which means that
    nothing was written)."""
    from diplo.cli.progress import progress
    from diplo.projections.runner import open_views, views_path

    path = views_path(ledger.location, views)
    with (
        views_trouble(path, EXIT_VIEWS_BEHIND, "recorded, but the views were not updated"),
        progress("updating views") as advance,
    ):
        open_views(ledger, path, progress=advance, notice=notice).close()


def notice(text: str) -> None:
    errors.print(f"note: {text}", markup=False)


@contextmanager
def views_trouble(path: str, code: int, what: str) -> Iterator[None]:
    """Any failure to open or update the views file as one line (what happened, why, how to
    catch up) and exit ``code``; the traceback of a damaged file helps nobody. A ledger with
    a hole, found as the views read it, exits 3 as `diplo verify` would."""
    try:
        yield
    except KeyboardInterrupt:
        if code != EXIT_VIEWS_BEHIND:
            raise
        # Ctrl-C would exit 1 ("Aborted!"), which must mean that nothing was written.
        errors.print(f"{what}: {path}: interrupted; run `diplo views update`", markup=False)
        raise typer.Exit(code) from None
    except Exception as error:  # whatever it was, the line below is all that is true
        from diplo.domain.errors import IntegrityFailure

        if isinstance(error, IntegrityFailure):  # the ledger, not the views: nothing to rebuild
            errors.print(f"error: {error}; `diplo verify` checks the ledger", markup=False)
            raise typer.Exit(EXIT_INTEGRITY) from None
        why, how = views_problem(error, path)
        prefix = "error: " if code == EXIT_INVALID else ""  # exit 4 is not an error of input
        errors.print(f"{prefix}{what}: {path}: {why}; {how}", markup=False)
        raise typer.Exit(code) from None


def views_problem(error: BaseException, path: str) -> tuple[str, str]:
    """Why a views file could not be used, and what the operator can do about it."""
    from diplo.projections.binding import ForeignViewsFile

    text = " ".join(str(error).split()) or type(error).__name__
    if isinstance(error, ForeignViewsFile):
        return error.reason, "give --views the path of a views file"
    lowered = text.lower()
    if isinstance(error, PermissionError) or _read_only(path) or "readonly" in lowered:
        return (
            f"it cannot be written ({text})",
            "make it (and its folder) writable, then run `diplo views update`",
        )
    if "locked" in lowered:
        return f"another process holds it ({text})", "run `diplo views update` when it is done"
    if "disk is full" in lowered or getattr(error, "errno", None) == errno.ENOSPC:
        return f"the disk is full ({text})", "free space, then run `diplo views update`"
    if isinstance(error, IsADirectoryError) or "unable to open" in lowered:
        return f"it cannot be opened ({text})", "check the path, then run `diplo views rebuild`"
    if "not a database" in lowered or "malformed" in lowered:
        return f"the file is damaged ({text})", "run `diplo views rebuild` to rebuild it"
    return f"{type(error).__name__}: {text}", "run `diplo views rebuild` to rebuild it"


def _read_only(path: str) -> bool:
    """The views file, or the folder it (and its -wal/-shm files) lives in, cannot be written."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if target.exists() and not target.is_dir() and not os.access(target, os.W_OK):
        return True
    return folder.exists() and not os.access(folder, os.W_OK)


def current_user(ledger: Ledger | None = None) -> str:
    """Who is recording: the OS user of this process, or on PostgreSQL the session's role;
    never a name from the input (that is kept as ``reported_by``)."""
    from diplo.domain.store.meta import recorder_name

    return recorder_name(ledger)


def write_out(out: Path, text: str | Iterable[str]) -> None:
    """Write ``--out``: into a temporary file beside it, renamed into place, so a full disk
    leaves no half-written file; a device (``/dev/stdout``) is written directly. Any failure
    is one line and exit 1."""
    try:
        if out.exists() and not out.is_file() and not out.is_dir():
            with out.open("w", encoding="utf-8") as device:
                device.writelines([text] if isinstance(text, str) else text)
            return
        if out.is_dir():
            raise IsADirectoryError(21, "is a folder; give a file name", str(out))
        if _is_sqlite(out):
            raise FileExistsError(17, "is a SQLite database (a ledger or views?); not replaced")
        _replace_atomically(out, text)
    except OSError as error:
        reason = error.strerror or str(error)
        if isinstance(error, FileNotFoundError) and not out.parent.exists():
            reason = f"folder {out.parent} does not exist"
        errors.print(f"error: --out {out}: cannot write it: {reason}", markup=False)
        raise typer.Exit(EXIT_INVALID) from None


def _is_sqlite(path: Path) -> bool:
    from diplo.projections.binding import SQLITE_HEADER

    if not path.is_file():
        return False
    with path.open("rb") as stream:
        return stream.read(len(SQLITE_HEADER)) == SQLITE_HEADER


def _replace_atomically(out: Path, text: str | Iterable[str]) -> None:
    scratch = out.with_name(f".{out.name}.{os.getpid()}.partial")
    try:
        with scratch.open("w", encoding="utf-8") as stream:
            stream.writelines([text] if isinstance(text, str) else text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(scratch, out)
    except BaseException:
        Path(scratch).unlink(missing_ok=True)
        raise


def events_counted(count: int) -> str:
    """``1 event``, ``2 events``: the count a log or an audit ends (or heads) with."""
    return f"{count} event" + ("" if count == 1 else "s")


def print_json(data: Any) -> None:
    """Stable JSON for scripts: sorted keys, UTF-8, one document (hidden characters escaped)."""
    sys.stdout.write(json_text(data, indent=2) + "\n")
