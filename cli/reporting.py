"""`diplo report …`: dossiers from the views, as Markdown, HTML, CSV or JSON."""

from __future__ import annotations

import sys
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cli.common import StoreOption, ViewsOption, console, ledger_at, views_of

if TYPE_CHECKING:
    from projections.reports import Report

app = typer.Typer(help="Reports from the views: partnership, grants, equipment, projects, "
                       "meetings, timeline.")


class ReportFormat(str, Enum):
    md = "md"
    html = "html"
    csv = "csv"
    json = "json"


FormatOption = Annotated[ReportFormat, typer.Option("--format", help="md, html, csv or json.")]
OutOption = Annotated[Path | None, typer.Option("--out", help="Write to this file.")]


def _emit(build: Callable[..., Report], args: tuple[str, ...], output: ReportFormat,
          out: Path | None, store: str | None, views: str | None) -> None:
    from projections import render

    with ledger_at(store) as ledger, views_of(ledger, views) as opened:
        report = build(opened.db, *args)
    renderer = {"md": render.markdown, "html": render.html, "csv": render.as_csv,
                "json": render.as_json}[output.value]
    text = renderer(report)
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")
        console.print(f"wrote {report.title} ({output.value}) to {out}")


@app.command()
def partnership(
    a: Annotated[str, typer.Argument(help="A country (ISO code).")],
    b: Annotated[str, typer.Argument(help="Another country.")],
    output: FormatOption = ReportFormat.md, out: OutOption = None,
    store: StoreOption = None, views: ViewsOption = None,
) -> None:
    """Everything between two countries."""
    from projections import reports

    _emit(reports.partnership, (a, b), output, out, store, views)


def _simple(name: str, doc: str) -> None:
    def command(output: FormatOption = ReportFormat.md, out: OutOption = None,
                store: StoreOption = None, views: ViewsOption = None) -> None:
        from projections import reports

        _emit(getattr(reports, name), (), output, out, store, views)

    command.__doc__ = doc
    app.command(name)(command)


for _name, _doc in (("grants", "Every grant agreement."), ("equipment", "Every item of equipment."),
                    ("projects", "Every project and its status."),
                    ("meetings", "Every meeting."), ("timeline", "Every activity, by date.")):
    _simple(_name, _doc)
