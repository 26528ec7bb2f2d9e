"""`diplo report …`: dossiers from the views, as Markdown, HTML, CSV or JSON."""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from diplo.cli.common import (
    AsOfOption,
    StoreOption,
    ValidAtOption,
    ViewsOption,
    console,
    ledger_at,
    refusals,
    views_of,
    write_out,
)
from diplo.cli.safe import shown, to_stdout

if TYPE_CHECKING:
    from diplo.projections.reports import Report

app = typer.Typer(
    help="Reports from the views: partnership, grants, equipment, projects, meetings, "
    "agreements, loans, disbursements, cooperation, visits, statements, timeline."
)


class ReportFormat(str, Enum):
    md = "md"
    html = "html"
    csv = "csv"
    json = "json"


FormatOption = Annotated[ReportFormat, typer.Option("--format", help="md, html, csv or json.")]
OutOption = Annotated[Path | None, typer.Option("--out", help="Write to this file.")]
InOption = Annotated[
    str | None,
    typer.Option(
        "--in",
        help="Also give every amount in this currency (ISO 4217), at the IMF annual average "
        "of its event's year; amounts that cannot be converted are listed.",
        show_default=False,
    ),
]


def _emit(
    build: Callable[..., Report],
    args: tuple[str, ...],
    output: ReportFormat,
    out: Path | None,
    store: str | None,
    views: str | None,
    as_of: str | None = None,
    valid_at: str | None = None,
    in_currency: str | None = None,
) -> None:
    """Build the report and write it while its views are open: its rows are read from them as
    they are written (JSON and CSV hold no more than a batch of rows)."""
    target = _currency(in_currency)

    def deliver(report: Report) -> None:
        from diplo.projections import render

        if target:
            from diplo.projections.conversion import convert

            report = convert(report, target)
        pieces = render.chunks(report, output.value)
        if out is None:
            to_stdout(pieces)
        else:
            write_out(out, pieces)
            console.print(shown(f"wrote {report.title} ({output.value}) to {out}"))

    if not (as_of or valid_at) and _quickly(build, args, store, views, deliver):
        return
    with ledger_at(store) as ledger:
        if as_of or valid_at:
            _in_the_past(ledger, build, args, as_of, valid_at, deliver)
        else:
            with views_of(ledger, views) as opened, opened.reading() as db:
                with refusals():
                    report = build(db, *args)
                deliver(report)


def _quickly(
    build: Callable[..., Report],
    args: tuple[str, ...],
    store: str | None,
    views: str | None,
    deliver: Callable[[Report], None],
) -> bool:
    """Build and deliver the report from views that are already current, read directly;
    False (nothing done) if they are not: the full path then catches them up first."""
    from diplo.cli.quick import quick_reads

    with quick_reads(store, views) as found:
        if found is None:
            return False
        with refusals():
            report = build(found[1], *args)
        deliver(report)
    return True


def _currency(code: str | None) -> str | None:
    from diplo.events.basic import _currency as check

    try:
        return check(code) if code is not None else None
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--in") from None


def _in_the_past(
    ledger: Any,
    build: Callable[..., Report],
    args: tuple[str, ...],
    as_of: str | None,
    valid_at: str | None,
    deliver: Callable[[Report], None],
) -> None:
    """A report from views built for that moment, in a scratch file: the live views stay."""
    import tempfile

    from diplo.domain.model.timeaxis import position_as_of, valid_day
    from diplo.projections.runner import rebuild
    from diplo.projections.views import Views

    with refusals():
        stop = position_as_of(ledger, as_of, "--as-of") if as_of else None
        day = valid_day(valid_at, "--valid-at") if valid_at else None
    with tempfile.TemporaryDirectory(prefix="diplo-past-") as folder:
        path = f"{folder}/views.db"
        rebuild(ledger, path, stop=stop, valid_at=day, log=False)  # a scratch file, for one report
        views = Views(path)
        try:
            with refusals():
                report = build(views.db, *args)
            deliver(report)
        finally:
            views.close()


@app.command()
def partnership(
    a: Annotated[str, typer.Argument(help="A country (ISO code).")],
    b: Annotated[str, typer.Argument(help="Another country.")],
    output: FormatOption = ReportFormat.md,
    out: OutOption = None,
    as_of: AsOfOption = None,
    valid_at: ValidAtOption = None,
    store: StoreOption = None,
    views: ViewsOption = None,
    in_currency: InOption = None,
) -> None:
    """Everything between two countries."""
    from diplo.projections import reports

    _emit(reports.partnership, (a, b), output, out, store, views, as_of, valid_at, in_currency)


def _simple(name: str, doc: str) -> None:
    def command(
        output: FormatOption = ReportFormat.md,
        out: OutOption = None,
        as_of: AsOfOption = None,
        valid_at: ValidAtOption = None,
        store: StoreOption = None,
        views: ViewsOption = None,
        in_currency: InOption = None,
    ) -> None:
        from diplo.projections import reports

        _emit(getattr(reports, name), (), output, out, store, views, as_of, valid_at, in_currency)

    command.__doc__ = doc
    app.command(name)(command)


for _name, _doc in (
    ("grants", "Every grant agreement."),
    ("equipment", "Every item of equipment."),
    ("projects", "Every project and its status."),
    ("meetings", "Every meeting."),
    ("agreements", "Every agreement (exchanges of notes, memoranda…) and what it agreed."),
    ("loans", "Every loan agreement, with its terms."),
    ("disbursements", "Every disbursement under a grant or loan."),
    ("cooperation", "Cooperation established and technical cooperation provided."),
    ("visits", "Every visit."),
    ("statements", "Every statement and commitment."),
    ("timeline", "Every activity, by date."),
):
    _simple(_name, _doc)
