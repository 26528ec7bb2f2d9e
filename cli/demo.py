"""`diplo demo`: the bundled seed example, end to end, in a scratch ledger."""

from __future__ import annotations

import shlex
import tempfile
from pathlib import Path
from typing import Annotated, Any

import typer

from diplo.cli.common import console, current_user, ledger_at
from diplo.cli.safe import shown

app = typer.Typer()
SEED = "japan-uzbekistan-health.jsonl"
SINGULAR = {
    "Meetings": "meeting",
    "Grants": "grant",
    "Equipment": "equipment",
    "Projects": "project",
    "Cooperations": "cooperation",
}


def seed_path() -> Path:
    """The seed example as installed with the package ``diplo.examples``."""
    from importlib.resources import files

    return Path(str(files("diplo.examples").joinpath(SEED)))


@app.command()
def demo(
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Leave the ledger (ledger.db and its views) and the dossier (jp-uz.html) in "
            "this folder; without it, they are made in a scratch folder and removed.",
        ),
    ] = None,
    store: Annotated[
        str | None, typer.Option(help="Keep the demo ledger here instead of a scratch folder.")
    ] = None,
) -> None:
    """Import the Japan–Uzbekistan seed example twice (it records once) and summarise it."""
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        _run(store or str(out / "ledger.db"), out / "jp-uz.html")
        return
    with tempfile.TemporaryDirectory(prefix="diplo-demo-") as scratch:
        _run(store or str(Path(scratch) / "ledger.db"), None, kept=store is not None)


def _run(location: str, dossier: Path | None, kept: bool = True) -> None:
    from diplo.cli.common import views_of
    from diplo.events.jsonl import read_jsonl
    from diplo.projections import render
    from diplo.projections.reports import partnership

    with seed_path().open("rb") as stream:
        facts = [(f"{SEED}:{n}", fact) for n, fact in read_jsonl(stream, SEED)]
    with ledger_at(location, create=True) as ledger:
        console.print("diplo demo", style="bold", end="")
        console.print(shown(f" — ledger at {location}"))
        for attempt in ("first", "second"):
            outcome = ledger.record(facts, recorded_by=current_user(ledger))
            console.print(
                f"{attempt} import of {SEED}: {outcome.new} new, {outcome.skipped} already recorded"
            )
        with views_of(ledger, None) as views:
            report = partnership(views.db, "JP", "UZ")
            _print_summary(report)  # its rows are read from the open views
            if dossier is not None:
                dossier.write_text(render.html(report), encoding="utf-8")
    _print_hints(location, dossier, kept)


def _print_hints(location: str, dossier: Path | None, kept: bool) -> None:
    """Hints that work when copied into any folder: they name the store by its full path."""
    if not kept:
        console.print(
            "\nThis demo's ledger was in a scratch folder, now removed. To keep it, with the "
            "HTML dossier beside it:\n  diplo demo --out diplo-demo",
            markup=False,
        )
        return
    store = shlex.quote(str(Path(location).resolve()))
    lines = ["", "Next, from any folder:"]
    if dossier is not None:
        lines.append(f"  dossier (open in a browser): {dossier.resolve()}")
    lines += [
        f"  diplo report partnership JP UZ --store {store}",
        f"  diplo report partnership JP UZ --format html --out jp-uz.html --store {store}",
        f"  diplo log --store {store} --format table",
        f"  diplo browse --store {store}",
    ]
    console.print("\n".join(lines), markup=False, soft_wrap=True)


def _print_summary(report: Any) -> None:
    from rich.table import Table

    figures = Table("", "", title=shown(report.title), show_header=False)
    for label, value in report.figures:
        figures.add_row(shown(label), shown(value))
    console.print(figures)
    for section in report.sections[:-1]:  # the last section is the timeline
        for row in section.rows:
            label = SINGULAR.get(section.title, section.title)
            console.print(f"  {label:<11} {shown(_headline(row))}")


def _headline(row: dict[str, Any]) -> str:
    for column in ("summary", "purpose", "name", "description", "field"):
        if row.get(column):
            return str(row[column])
    return str(row.get("key"))
