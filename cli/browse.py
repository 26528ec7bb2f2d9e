"""`diplo browse`: the views in Datasette, read-only, on this machine only.

Datasette is an optional extra (`pip install -e '.[browse]'`): the ledger never needs it.
"""

from __future__ import annotations

import importlib.util
import json
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from diplo.cli.common import EXIT_INVALID, StoreOption, ViewsOption, console, errors, ledger_at

app = typer.Typer()
HOST = "127.0.0.1"  # never another interface: the views are the ledger's content
INSTALL = (
    "datasette is not installed. Install diplo's browse extra: "
    "pip install -e '.[browse]' in a clone of diplo (or pip install 'diplo[browse]')"
)


@app.command()
def browse(
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1.", min=1, max=65535)] = 8001,
    store: StoreOption = None,
    views: ViewsOption = None,
) -> None:
    """Explore the views in Datasette: described tables and columns, facets, and canned queries
    for auditors (unsourced events, corrections by person, funding per pair and year).

    The views are brought up to date first; Datasette opens them read-only."""
    if importlib.util.find_spec("datasette") is None:
        errors.print(f"error: {INSTALL}", markup=False)
        raise typer.Exit(EXIT_INVALID)
    path = _current_views(store, views)
    database = Path(path).stem  # Datasette names a database after its file's stem
    with tempfile.TemporaryDirectory(prefix="diplo-browse-") as folder:
        metadata = Path(folder) / "metadata.json"
        metadata.write_text(json.dumps(_metadata(path, database), indent=2))
        console.print(
            f"Datasette on http://{HOST}:{port}/{_tilde(database)} (read-only; Ctrl-C stops it)",
            markup=False,
            soft_wrap=True,
        )
        raise typer.Exit(_serve(path, metadata, port))


def _current_views(store: str | None, views: str | None) -> str:
    from diplo.cli.common import views_of
    from diplo.projections.runner import views_path

    with ledger_at(store) as ledger:
        path = views_path(ledger.location, views)
        with views_of(ledger, views) as opened:
            opened.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # readers see one file
        return str(Path(path).resolve())


def _metadata(path: str, database: str) -> dict[str, object]:
    from diplo.projections.tables import datasette_metadata

    return datasette_metadata(f"diplo: the views of {Path(path).name}", database)


def _serve(path: str, metadata: Path, port: int) -> int:
    """Run Datasette until it stops; its mutable databases are opened with SQLite's
    ``mode=ro``, so no query can write, and updates by diplo show up live."""
    command = [
        sys.executable,
        "-m",
        "datasette",
        "serve",
        path,
        "--host",
        HOST,
        "--port",
        str(port),
        "--metadata",
        str(metadata),
        "--setting",
        "default_page_size",
        "50",
    ]
    server = subprocess.Popen(command)
    signal.signal(signal.SIGTERM, _interrupt)  # stopping diplo stops its server too
    try:
        return server.wait()
    except KeyboardInterrupt:
        server.terminate()
        server.wait()
        return 0


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _tilde(name: str) -> str:
    """Datasette's URL form of a database name: ``ledger.views`` → ``ledger~2Eviews``."""
    return "".join(c if c.isalnum() or c in "_-" else f"~{ord(c):02X}" for c in name)
