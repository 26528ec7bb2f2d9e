"""`diplo export --format iati|cameo` and `diplo import --format iati`: the field's standards.

Thin: parse the options, call ``diplo.projections.interop`` (export) or the IATI reader
(import), print. The JSON Lines export and import stay in reading.py and recording.py.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from diplo.domain.app.ledger import Ledger
    from diplo.events.iati_import import Imported

# IATI's rules for organisation identifiers (1.x.13): none of / & | ? and no spaces.
ORG_ID = re.compile(r"[^/&|?\s]{1,200}")


class ExportFormat(str, Enum):
    jsonl = "jsonl"
    iati = "iati"
    cameo = "cameo"


ExportFormatOption = Annotated[
    ExportFormat,
    typer.Option(
        "--format",
        help="jsonl (every event, re-importable), iati (IATI 2.03 activity XML) or cameo "
        "(CAMEO/PLOVER rows, tab-separated).",
    ),
]
ReportingOrgOption = Annotated[
    str | None,
    typer.Option(
        "--reporting-org",
        help="IATI organisation identifier of the publisher (iati only; default: the "
        "ledger's own, made from its id).",
        show_default=False,
    ),
]


def export_cameo(ledger: Ledger, stop: int | None) -> None:
    """Every current activity event as a CAMEO/PLOVER row."""
    from diplo.projections.interop.cameo import cameo_tsv
    from diplo.projections.interop.current import exported

    sys.stdout.writelines(cameo_tsv(exported(ledger, stop)))


def export_as(
    ledger: Ledger, stop: int | None, output: ExportFormat, reporting_org: str | None
) -> None:
    """Write the ledger (as of ``stop``) in ``output``'s standard on stdout."""
    if output is ExportFormat.cameo:
        export_cameo(ledger, stop)
    elif output is ExportFormat.iati:
        export_iati(ledger, stop, reporting_org)


def export_iati(ledger: Ledger, stop: int | None, reporting_org: str | None) -> None:
    """The grants, loans and projects as IATI 2.03 activities."""
    from diplo.domain.store.meta import ledger_id
    from diplo.projections.interop.activities import gather
    from diplo.projections.interop.current import exported
    from diplo.projections.interop.iati import NAME, ReportingOrg, default_reporting_org, write_iati

    if reporting_org is not None and not ORG_ID.fullmatch(reporting_org):
        raise typer.BadParameter(
            f"{reporting_org!r} is not an IATI organisation identifier like 'GB-GOV-1' "
            "(no spaces, '/', '&', '|' or '?')",
            param_hint="--reporting-org",
        )
    org = (
        ReportingOrg(reporting_org, NAME)
        if reporting_org
        else default_reporting_org(ledger_id(ledger))
    )
    gathered = gather(exported(ledger, stop))
    try:
        write_iati(gathered, org, sys.stdout.buffer)
    finally:
        gathered.close()


class ImportFormat(str, Enum):
    jsonl = "jsonl"
    iati = "iati"


ImportFormatOption = Annotated[
    ImportFormat,
    typer.Option(
        "--format",
        help="jsonl (diplo's own) or iati (IATI 2.01-2.03 activity XML files).",
    ),
]


def read_iati(files: list[str]) -> list[Imported]:
    """The facts of each IATI file, or exit 1 naming the file, line and element."""
    from diplo.cli.common import refusals
    from diplo.events.errors import InvalidEvent, Problem
    from diplo.events.iati_import import iati_facts
    from diplo.events.iati_xml import read_xml

    with refusals():
        if "-" in files:
            raise InvalidEvent([Problem("IATI files are read from a path, not stdin", "FILE")])
        return [iati_facts(read_xml(name)) for name in files]


def record_iati(ledger: Ledger, found: list[Imported], dry_run: bool) -> None:
    """Record the facts of IATI files in one batch: all or nothing, idempotent."""
    from diplo.cli.common import console, current_user

    facts = [pair for imported in found for pair in imported.facts]
    outcome = ledger.record(facts, recorded_by=current_user(ledger), dry_run=dry_run)
    verb = "would record" if dry_run else "recorded"
    activities = sum(imported.activities for imported in found)
    console.print(
        f"{verb} {outcome.new} new, {outcome.skipped} skipped (already recorded) from "
        f"{len(facts)} events of {activities} IATI activities"
    )
    left_out = sum((imported.left_out for imported in found), start=Counter[str]())
    if left_out:
        listed = ", ".join(f"{n} {name}" for name, n in sorted(left_out.items()))
        console.print(f"not recorded (diplo has no place for them): {listed}", markup=False)
