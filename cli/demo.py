"""`diplo demo`: the bundled seed example, end to end, in a scratch ledger."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

import typer

from cli.common import console, current_user, ledger_at

app = typer.Typer()
SEED = "japan-uzbekistan-health.jsonl"


def seed_path() -> Path:
    """The seed example as installed with the package ``diplo_examples``."""
    from importlib.resources import files

    return Path(str(files("diplo_examples").joinpath(SEED)))


@app.command()
def demo(
    store: Annotated[str | None, typer.Option(help="Keep the demo ledger here instead of a scratch folder.")] = None,
) -> None:
    """Import the Japan–Uzbekistan seed example twice (it records once) and summarise it."""
    with tempfile.TemporaryDirectory(prefix="diplo-demo-") as scratch:
        location = store or str(Path(scratch) / "ledger.db")
        _run(location)


def _run(location: str) -> None:
    from cli.partnership import print_partnership
    from events.jsonl import read_jsonl

    with seed_path().open("rb") as stream:
        facts = [(f"{SEED}:{n}", fact) for n, fact in read_jsonl(stream, SEED)]
    with ledger_at(location, create=True) as ledger:
        console.print(f"[bold]diplo demo[/] — ledger at {location}")
        for attempt in ("first", "second"):
            outcome = ledger.record(facts, recorded_by=current_user())
            console.print(f"{attempt} import of {SEED}: {outcome.new} new, "
                          f"{outcome.skipped} already recorded")
        print_partnership(ledger, "JP", "UZ")
