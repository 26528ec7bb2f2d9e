"""A retraction is told the same way in every report and format: the retracted event stays
listed, marked ``retracted``, and leaves every count and total.

One ledger records the bundled articles and a few more events, then retracts one event of each
kind (grant, loan, agreement, disbursement, meeting, project, milestone, equipment delivery,
visit, statement, commitment, technical cooperation, cooperation, relations). A second ledger
records the same events without the retracted ones (and without what a retracted grant
funded), as if they had never been reported. Every report the CLI offers (read from the CLI,
so a new report is walked too), in every format, must then give the same figures from both
ledgers, list the same standing rows, and list each retracted row as retracted.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest
import typer

from diplo.cli.main import app
from tests.conftest import SEED, write_jsonl

EXAMPLES = sorted(SEED.parent.glob("*.jsonl"))
FORMATS = ("json", "md", "html", "csv")
# when it was recorded, and the IATI identifier (it names the ledger), differ between the ledgers
VOLATILE = {"recorded_at", "position", "iati_identifier"}

MORE: list[dict[str, Any]] = [
    {
        "key": "more/loan",
        "type": "LoanAgreementSigned",
        "loan": "more-loan",
        "lender": "JP",
        "borrower": "gov-in",
        "purpose": "a second loan, later found to be a misreading",
        "amount": {"value": "7000", "currency": "JPY"},
        "occurred_on": "2021-03",
    },
    {
        "key": "more/agreement",
        "type": "AgreementSigned",
        "agreement": "more-mou",
        "kind": "memorandum-of-understanding",
        "parties": ["JP", "UZ"],
        "title": "Memorandum on health cooperation",
        "amount": {"value": "300", "currency": "USD", "qualifier": "about"},
        "occurred_on": "2025-02",
    },
    {
        "key": "more/disbursement-1",
        "type": "FundsDisbursed",
        "disbursement": "more-d1",
        "of": "in-covid-crisis-response-2020",
        "amount": {"value": "1000", "currency": "JPY"},
        "occurred_on": "2020-10",
    },
    {
        "key": "more/disbursement-2",
        "type": "FundsDisbursed",
        "disbursement": "more-d2",
        "of": "in-covid-crisis-response-2020",
        "amount": {"value": "2500", "currency": "JPY"},
        "occurred_on": "2020-11",
    },
    {
        "key": "more/visit-1",
        "type": "VisitMade",
        "visit": "more-v1",
        "visitor": "suzuki-satoshi",
        "host": "IN",
        "kind": "official",
        "occurred_on": "2020-09",
    },
    {
        "key": "more/visit-2",
        "type": "VisitMade",
        "visit": "more-v2",
        "visitor": "himeno-tsutomu",
        "host": "LR",
        "kind": "working",
        "occurred_on": "2020-09",
    },
    {
        "key": "more/training-1",
        "type": "TechnicalCooperationProvided",
        "activity": "more-t1",
        "provider": "jica",
        "recipient": "IN",
        "kind": "training",
        "field": "intensive care",
        "people": 40,
        "amount": {"value": "900", "currency": "JPY"},
        "occurred_on": "2021",
    },
    {
        "key": "more/training-2",
        "type": "TechnicalCooperationProvided",
        "activity": "more-t2",
        "provider": "JP",
        "recipient": "LR",
        "kind": "scholarships",
        "field": "public health",
        "people": 3,
        "period": "2021/2023",
        "occurred_on": "2021",
    },
    {
        "key": "more/clinic",
        "type": "ClinicPlanned",
        "project": "more-clinic",
        "name": "Clinic in Monrovia",
        "country": "LR",
        "partners": ["gov-jp"],
        "financing": "grant",
        "beds": 40,
        "occurred_on": "2021-05",
    },
    {
        "key": "more/milestone",
        "type": "ProjectMilestoneReached",
        "project": "samarkand-clinic-800",
        "milestone": "construction-started",
        "occurred_on": "2025-06",
    },
]

# One event of each kind, retracted; and what falls with it (a grant's funded equipment).
RETRACTED = {
    "grant": "uza-676233/grant/ggp-spmc-pohi",
    "loan": "more/loan",
    "agreement": "more/agreement",
    "disbursement": "more/disbursement-1",
    "meeting": "liberianobserver-2020-08-06/meeting/weah-abe-ticad-2019",
    "project": "more/clinic",
    "milestone": "more/milestone",
    "delivery": "uza-676233/delivery/diagnostic-containers",
    "visit": "more/visit-1",
    "statement": "netindian-2020-08-31/statement/strategic-partnership",
    "commitment": "liberianobserver-2020-08-06/commitment/cabinet-approval",
    "technical cooperation": "more/training-1",
    "cooperation": "uza-676233/cooperation/medical-education",
    "relations": "liberianobserver-2020-08-06/relations/jp-lr",
}
FALLS_WITH = {"uza-676233/equipment/ggp-spmc-pohi"}  # the retracted grant's equipment
GONE = set(RETRACTED.values()) | FALLS_WITH


def report_names() -> list[str]:
    """The reports `diplo report` offers, as the CLI itself lists them."""
    group = typer.main.get_command(app).commands["report"]  # type: ignore[attr-defined]
    return sorted(group.commands)


def events() -> list[dict[str, Any]]:
    lines = [line for path in EXAMPLES for line in path.read_text().splitlines() if line]
    return [*map(json.loads, lines), *MORE]


@pytest.fixture(scope="module")
def ledgers(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """(retracted, never recorded): the same story, told by retraction and by omission."""
    from typer.testing import CliRunner

    from diplo.domain.store.opening import open_ledger

    folder = tmp_path_factory.mktemp("retraction")
    runner = CliRunner()
    stores = []
    for name, bodies in (
        ("retracted", events()),
        ("omitted", [e for e in events() if e.get("key") not in GONE]),
    ):
        store = str(folder / f"{name}.db")
        open_ledger(store, create=True).close()
        path = write_jsonl(folder / f"{name}.jsonl", *bodies)
        result = runner.invoke(app, ["import", path, "--store", store])
        assert result.exit_code == 0, result.output
        stores.append(store)
    for kind, key in RETRACTED.items():
        result = runner.invoke(
            app, ["retract", key, "--reason", f"the {kind} was misreported", "--store", stores[0]]
        )
        assert result.exit_code == 0, result.output
    return stores[0], stores[1]


def invocations(store: str) -> list[list[str]]:
    """Every report, with every country pair for the partnership dossier."""
    views = sqlite3.connect(Path(store).with_suffix(".views.db"))
    pairs = [pair for (pair,) in views.execute("SELECT DISTINCT pair FROM _pairs ORDER BY pair")]
    found = []
    for name in report_names():
        if name == "partnership":
            found += [["partnership", *pair.split("-")] for pair in pairs]
        else:
            found.append([name])
    return found


def render(diplo: Any, store: str, args: list[str], output: str) -> str:
    result = diplo("report", *args, "--format", output, "--store", store)
    assert result.exit_code == 0, (args, output, result.output)
    return str(result.stdout)


def standing(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {k: v for k, v in row.items() if k not in VOLATILE}
        for row in rows
        if row.get("status") != "retracted"
    ]


def test_the_walk_covers_every_report_of_the_cli_and_every_pair(ledgers: tuple[str, str]) -> None:
    names = report_names()
    assert {"grants", "loans", "agreements", "disbursements", "cooperation"} <= set(names)
    assert {"visits", "statements", "equipment", "projects", "meetings", "timeline"} <= set(names)
    pairs = [args for args in invocations(ledgers[0]) if args[0] == "partnership"]
    assert {tuple(p[1:]) for p in pairs} >= {("JP", "UZ"), ("IN", "JP"), ("JP", "LR")}


def test_every_report_in_every_format_tells_a_retraction_the_same_way(
    diplo: Any, ledgers: tuple[str, str]
) -> None:
    retracted, omitted = ledgers
    listed: set[str] = set()
    for args in invocations(retracted):
        data = json.loads(render(diplo, retracted, args, "json"))
        unretracted = json.loads(render(diplo, omitted, args, "json"))
        # every count and total: as if the retracted events had never been recorded
        assert data["figures"] == unretracted["figures"], args
        rows = 0
        for title, section in data["sections"].items():
            assert standing(section) == standing(unretracted["sections"][title]), (args, title)
            for row in section:
                if row.get("key") in GONE:
                    assert row["status"] == "retracted", (args, title, row)
                    listed.add(row["key"])
            rows += sum(row.get("status") == "retracted" for row in section)
        sourced = sum(e["status"] == "retracted" for e in data.get("sources", []))
        markdown = render(diplo, retracted, args, "md")
        _check_markdown(markdown, render(diplo, omitted, args, "md"))
        _check_html(render(diplo, retracted, args, "html"), rows + sourced)
        main = _last_section(markdown)  # CSV holds the report's main (last) table
        _check_csv(render(diplo, retracted, args, "csv"), data["sections"][main], args)
    # each retracted event is still there to be read, marked, somewhere beyond the timeline
    assert listed == GONE


def test_each_retracted_event_is_listed_as_retracted_in_its_own_report(
    diplo: Any, ledgers: tuple[str, str]
) -> None:
    own = {
        "grants": RETRACTED["grant"],
        "loans": RETRACTED["loan"],
        "agreements": RETRACTED["agreement"],
        "disbursements": RETRACTED["disbursement"],
        "meetings": RETRACTED["meeting"],
        "projects": RETRACTED["project"],
        "equipment": RETRACTED["delivery"],
        "visits": RETRACTED["visit"],
        "statements": RETRACTED["statement"],
        "cooperation": RETRACTED["technical cooperation"],
    }
    for name, key in own.items():
        data = json.loads(render(diplo, ledgers[0], [name], "json"))
        statuses = {r["status"] for s in data["sections"].values() for r in s if r["key"] == key}
        assert statuses == {"retracted"}, name
    equipment = json.loads(render(diplo, ledgers[0], ["equipment"], "json"))
    funded = [r for r in equipment["sections"]["Equipment"] if r["key"] in FALLS_WITH]
    assert funded and {r["status"] for r in funded} == {"retracted"}
    timeline = json.loads(render(diplo, ledgers[0], ["timeline"], "json"))
    assert {r["key"] for r in timeline["sections"]["Timeline"] if r["status"] == "retracted"} == (
        GONE
    )


def _check_markdown(text: str, unretracted: str) -> None:
    """The same figures; retracted rows marked in their status column."""
    figures = [line for line in text.splitlines() if line.startswith("- **")]
    assert figures == [line for line in unretracted.splitlines() if line.startswith("- **")]
    for line in text.splitlines():
        if line.startswith("|") and "retracted" in line.split("|")[-2]:
            assert line.rstrip().endswith("| retracted |")


def _last_section(markdown: str) -> str:
    titles = re.findall(r"^## (.+) \(\d+\)$", markdown, re.MULTILINE)
    return [title for title in titles if title != "Sources"][-1]


def _check_html(text: str, retracted_rows: int) -> None:
    """Every retracted row (tables and sources) is drawn struck through, and only those."""
    assert len(re.findall(r'<tr class="retracted">', text)) == retracted_rows


def _check_csv(text: str, rows: list[dict[str, Any]], args: list[str]) -> None:
    """The main table, every row of it, with the same statuses as the JSON."""
    found = list(csv.DictReader(io.StringIO(text)))
    assert [r["status"] for r in found] == [r["status"] for r in rows], args
