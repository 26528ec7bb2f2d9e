"""`diplo export --format iati`: IATI 2.03 activity XML that the official schema accepts, that
breaks none of the IATI Standard Ruleset's error-level rules, with stable identifiers."""

from __future__ import annotations

import json
from datetime import date
from importlib.resources import files
from io import BytesIO
from itertools import islice
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element, ElementTree, parse

import pytest
import xmlschema

from diplo.examples import __file__ as examples_init
from tests.conftest import GRANT, ORG, write_jsonl
from tests.interop.iati_rules import broken_rules

EXAMPLES = sorted(Path(examples_init).parent.glob("*.jsonl"))


@pytest.fixture(scope="module")
def schema() -> xmlschema.XMLSchema:
    path = files("diplo.events").joinpath("data/iati/iati-activities-schema.xsd")
    return xmlschema.XMLSchema(str(path))


def export(diplo: Any, store: str, *args: str) -> bytes:
    result = diplo("export", "--format", "iati", "--store", store, *args)
    assert result.exit_code == 0, result.output
    return result.stdout_bytes  # type: ignore[no-any-return]


def activities(xml: bytes) -> dict[str, Element]:
    root = parse(BytesIO(xml)).getroot()
    return {a.findtext("iati-identifier", ""): a for a in root.iter("iati-activity")}


@pytest.fixture
def examples(diplo: Any, store: str) -> str:
    assert diplo("import", *map(str, EXAMPLES), "--store", store, "--no-views").exit_code == 0
    return store


def test_the_examples_export_as_valid_iati_that_breaks_no_error_rule(
    diplo: Any, examples: str, schema: xmlschema.XMLSchema
) -> None:
    xml = export(diplo, examples, "--reporting-org", "XM-DAC-701")
    schema.validate(BytesIO(xml))  # raises, naming the element, if the schema refuses it
    assert broken_rules(parse(BytesIO(xml)), date.today()) == []
    found = activities(xml)
    assert len(found) == 8  # 6 grants, 1 loan, 1 project across the three articles
    assert all(identifier.startswith("XM-DAC-701-") for identifier in found)


def test_the_rule_checker_finds_broken_rules(examples: str, diplo: Any) -> None:
    tree = parse(BytesIO(export(diplo, examples)))
    first = tree.getroot().find("iati-activity")
    assert first is not None
    for sector in first.findall("sector"):
        first.remove(sector)
    transaction_date = first.find("transaction/transaction-date")
    assert transaction_date is not None
    transaction_date.set("iso-date", "2999-01-01")
    broken = broken_rules(tree, date.today())
    assert any(line.startswith("6.2.2:") for line in broken)  # no sector
    assert any(line.startswith("11.2.1:") for line in broken)  # a transaction in the future


def test_identifiers_are_stable_and_the_same_ledger_exports_the_same_bytes(
    diplo: Any, store: str, tmp_path: Path
) -> None:
    diplo("import", write_jsonl(tmp_path / "a.jsonl", ORG, GRANT), "--store", store, "--no-views")
    first = export(diplo, store)
    assert export(diplo, store) == first
    loan = {
        "type": "LoanAgreementSigned",
        "loan": "l1",
        "lender": "JP",
        "borrower": "UZ",
        "purpose": "Hospitals",
        "amount": {"value": "5000000000", "currency": "JPY", "qualifier": "up-to"},
        "terms": {"tied": "untied"},
        "occurred_on": "2025-06",
    }
    diplo("import", write_jsonl(tmp_path / "b.jsonl", loan), "--store", store, "--no-views")
    before, after = activities(first), activities(export(diplo, store))
    assert set(before) < set(after)
    (grant,) = before
    assert grant.endswith("-grant-g1")
    assert export(diplo, store, "--as-of", "2") == first


def test_a_grant_and_its_disbursement_become_one_activity_with_two_transactions(
    diplo: Any, store: str, tmp_path: Path, schema: xmlschema.XMLSchema
) -> None:
    paid = {
        "type": "FundsDisbursed",
        "disbursement": "d1",
        "of": "g1",
        "amount": {"value": "4000000", "currency": "JPY"},
        "occurred_on": "2025-05",
    }
    source = {"publisher": "UzA", "title": "Signed", "url": "https://uza.uz/1", "language": "en"}
    grant = GRANT | {"sector": "12191", "sources": [source]}
    path = write_jsonl(tmp_path / "g.jsonl", ORG, grant, paid)
    diplo("import", path, "--store", store, "--no-views")
    xml = export(diplo, store)
    schema.validate(BytesIO(xml))
    (activity,) = activities(xml).values()
    roles = [(o.get("role"), o.findtext("narrative")) for o in activity.iter("participating-org")]
    assert roles == [("1", "Japan"), ("2", "Ministry of Health")]
    assert activity.find("default-finance-type").get("code") == "110"  # type: ignore[union-attr]
    assert activity.find("sector").get("code") == "12191"  # type: ignore[union-attr]
    assert activity.find("recipient-country").get("code") == "UZ"  # type: ignore[union-attr]
    transactions = [
        (
            t.find("transaction-type").get("code"),  # type: ignore[union-attr]
            t.findtext("value"),
            t.find("value").get("currency"),  # type: ignore[union-attr]
            t.find("value").get("value-date"),  # type: ignore[union-attr]
            t.findtext("description/narrative"),
        )
        for t in activity.iter("transaction")
    ]
    assert transactions == [
        ("2", "10000000", "JPY", "2025-03-15", None),
        ("3", "4000000", "JPY", "2025-05-01", "date as recorded: 2025-05"),
    ]
    (link,) = activity.iter("document-link")
    assert link.get("url") == "https://uza.uz/1" and link.findtext("title/narrative") == "Signed"


def test_a_retracted_grant_is_not_exported(diplo: Any, store: str, tmp_path: Path) -> None:
    diplo("import", write_jsonl(tmp_path / "a.jsonl", ORG, GRANT), "--store", store, "--no-views")
    (key,) = [line.split("\t")[5] for line in _cameo(diplo, store)]
    assert diplo("retract", key, "--reason", "duplicate", "--store", store).exit_code == 0
    assert activities(export(diplo, store)) == {}


def _cameo(diplo: Any, store: str) -> list[str]:
    return diplo("export", "--format", "cameo", "--store", store).stdout.splitlines()[1:]  # type: ignore[no-any-return]


def test_a_reporting_org_that_is_no_iati_identifier_is_refused(diplo: Any, store: str) -> None:
    result = diplo("export", "--format", "iati", "--reporting-org", "JP/MOFA", "--store", store)
    assert result.exit_code == 2
    assert "not an IATI organisation identifier" in result.output


def test_a_project_reports_its_milestones_as_status_and_dates(
    diplo: Any, store: str, tmp_path: Path, schema: xmlschema.XMLSchema
) -> None:
    clinic = {
        "type": "ClinicPlanned",
        "project": "p1",
        "name": "Samarkand clinic",
        "country": "UZ",
        "financing": "ppp",
        "occurred_on": "2024",
    }
    started = {
        "type": "ProjectMilestoneReached",
        "project": "p1",
        "milestone": "construction-started",
        "occurred_on": "2025-02-01",
    }
    diplo("import", write_jsonl(tmp_path / "p.jsonl", clinic, started), "--store", store)
    xml = export(diplo, store)
    schema.validate(BytesIO(xml))
    assert broken_rules(ElementTree(parse(BytesIO(xml)).getroot()), date.today()) == []
    (activity,) = activities(xml).values()
    assert activity.find("activity-status").get("code") == "2"  # type: ignore[union-attr]
    dates = [(d.get("type"), d.get("iso-date")) for d in activity.iter("activity-date")]
    assert dates == [("2", "2025-02-01")]
    assert activity.find("sector").get("code") == "99810"  # type: ignore[union-attr]


def test_a_grant_signed_in_the_future_has_a_planned_start_not_an_actual_one(
    diplo: Any, store: str, tmp_path: Path
) -> None:
    late = GRANT | {"occurred_on": "2999", "amount": None}
    late = {k: v for k, v in late.items() if v is not None}
    diplo("import", write_jsonl(tmp_path / "a.jsonl", ORG, late), "--store", store, "--no-views")
    xml = export(diplo, store)
    (activity,) = activities(xml).values()
    dates = [(d.get("type"), d.get("iso-date")) for d in activity.iter("activity-date")]
    assert dates == [("1", "2999-01-01")]
    assert activity.findtext("activity-date/narrative") == "signed; date as recorded: 2999"
    assert broken_rules(parse(BytesIO(xml)), date.today()) == []


@pytest.mark.parametrize("activities_kept", [0, 1, 8])
def test_the_document_is_written_an_activity_at_a_time_as_the_whole_tree_would_be(
    diplo: Any, examples: str, activities_kept: int
) -> None:
    """The export never holds the XML tree of every activity: it writes each one as it is
    made, and the bytes are those of the whole tree, indented and written at once."""
    from xml.etree.ElementTree import indent

    from diplo.domain.store.opening import open_ledger
    from diplo.projections.interop.activities import gather
    from diplo.projections.interop.current import exported
    from diplo.projections.interop.iati import ReportingOrg, iati_document, write_iati

    ledger = open_ledger(examples)
    try:
        gathered = gather(exported(ledger, None))
    finally:
        ledger.close()
    gathered.activities = list(islice(gathered.activities, activities_kept))
    org = ReportingOrg("XM-DAC-701", "test")
    streamed = BytesIO()
    write_iati(gathered, org, streamed)
    root = iati_document(gathered, org)
    indent(root)
    whole = BytesIO()
    ElementTree(root).write(whole, encoding="utf-8", xml_declaration=True)
    assert streamed.getvalue() == whole.getvalue() + b"\n"
    assert len(activities(streamed.getvalue())) == activities_kept


def test_corrections_read_first_give_the_same_current_events_as_the_log_held_whole(
    diplo: Any, examples: str
) -> None:
    from diplo.domain.store.opening import open_ledger
    from diplo.projections.interop.current import current_events, exported, stored_events

    correction = {
        "type": "EventCorrected",
        "key": "fix-purpose",
        "target": "uza-676233/grant/ggp-rscemc-bukhara",
        "changes": {"purpose": "Equip the Bukhara branch (corrected)"},
        "reason": "a later report",
    }
    assert diplo("import", "-", "--store", examples, input=json.dumps(correction)).exit_code == 0
    ledger = open_ledger(examples)
    try:
        streamed = list(exported(ledger, None))
        held = list(current_events(stored_events(ledger, None)))
    finally:
        ledger.close()
    assert streamed == held
    purposes = [c.data.get("purpose") for c in streamed]
    assert "Equip the Bukhara branch (corrected)" in purposes
