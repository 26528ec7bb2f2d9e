"""`diplo export --format cameo`: one CAMEO/PLOVER row per activity event, codes from the
declarations, the ledger as it stands (corrections applied, retractions left out)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from diplo.events.cameo import cameo_table, plover_of
from diplo.events.declaration import declarations
from tests.conftest import GRANT, ORG, PERSON, write_jsonl

SOURCE = {"publisher": "UzA", "title": "Grant signed", "url": "https://uza.uz/en/posts/1"}


def rows(diplo: Any, store: str, *args: str) -> list[dict[str, str]]:
    result = diplo("export", "--format", "cameo", "--store", store, *args)
    assert result.exit_code == 0, result.output
    header, *lines = result.stdout.splitlines()
    names = header.split("\t")
    return [dict(zip(names, line.split("\t"), strict=True)) for line in lines]


@pytest.fixture
def ledger_file(diplo: Any, store: str, tmp_path: Path) -> str:
    delivery = {
        "type": "EquipmentDelivered",
        "delivery": "rice",
        "donor": "JP",
        "recipient": "moh-uz",
        "items": [{"description": "Rice", "category": "food"}],
        "occurred_on": "2025-04",
    }
    statement = {
        "type": "StatementMade",
        "statement": "s1",
        "by": "hatori-takashi",
        "about": ["UZ"],
        "text": "Japan stands with Uzbekistan.",
        "kind": "quote",
        "occurred_on": "2025-03-16",
    }
    disbursed = {
        "type": "FundsDisbursed",
        "disbursement": "d1",
        "of": "g1",
        "amount": {"value": "5000000", "currency": "JPY"},
        "occurred_on": "2025-06-01",
    }
    path = write_jsonl(
        tmp_path / "in.jsonl",
        ORG,
        PERSON,
        GRANT | {"sources": [SOURCE]},
        delivery,
        statement,
        disbursed,
    )
    assert diplo("import", path, "--store", store, "--no-views").exit_code == 0
    return store


def test_each_activity_event_is_one_row_with_its_code_and_category(
    diplo: Any, ledger_file: str
) -> None:
    found = rows(diplo, ledger_file)
    assert [r["cameo"] for r in found] == ["057", "073", "010", "071"]  # registry facts: none
    grant = found[0]
    assert grant == {
        "date": "2025-03-15",
        "actor1_country": "JP",
        "actor2_country": "UZ",  # the Ministry of Health is Uzbek
        "cameo": "057",
        "plover": "SUPPORT",
        "key": grant["key"],
        "source_url": "https://uza.uz/en/posts/1",
    }
    assert found[1]["plover"] == "AID"  # food: humanitarian aid, 073
    assert found[2]["plover"] == ""  # PLOVER codes no statements
    assert (found[2]["actor1_country"], found[2]["actor2_country"]) == ("JP", "UZ")
    # a disbursement's actors are its grant's
    assert (found[3]["actor1_country"], found[3]["actor2_country"]) == ("JP", "UZ")


def test_rows_show_corrections_and_leave_out_retracted_events(diplo: Any, ledger_file: str) -> None:
    keys = [r["key"] for r in rows(diplo, ledger_file)]
    fix = ["--set", "occurred_on=2025-03-20", "--reason", "typo", "--store", ledger_file]
    assert diplo("correct", keys[0], *fix).exit_code == 0
    assert diplo("retract", keys[2], "--reason", "misquoted", "--store", ledger_file).exit_code == 0
    after = rows(diplo, ledger_file)
    assert [r["key"] for r in after] == [keys[0], keys[1], keys[3]]
    assert after[0]["date"] == "2025-03-20"
    before = rows(diplo, ledger_file, "--as-of", "6")
    assert [r["key"] for r in before] == keys and before[0]["date"] == "2025-03-15"


def test_every_declared_cameo_code_is_in_the_shipped_table() -> None:
    table = cameo_table()
    for name, declaration in declarations().items():
        code = declaration.codes.cameo
        assert declaration.on_timeline == (code is not None), name
        if code and not code.startswith(("01", "02")):  # statements, appeals: not in PLOVER
            assert code in table, name
    assert plover_of("057") == "SUPPORT" and plover_of("043") == "CONSULT"
    assert plover_of("010") is None


def test_schema_shows_each_types_codes(diplo: Any) -> None:
    import json

    loan = json.loads(diplo("schema", "LoanAgreementSigned").stdout)
    assert (loan["x-cameo"], loan["x-plover"]) == ("057", "SUPPORT")
    assert (loan["x-iati-transaction-type"], loan["x-iati-finance-type"]) == ("2", "421")
    catalog = json.loads(diplo("schema").stdout)["$defs"]
    assert catalog["FundsDisbursed"]["x-iati-transaction-type"] == "3"
    assert (
        catalog["StatementMade"]["x-cameo"] == "010" and "x-plover" not in catalog["StatementMade"]
    )
    assert "x-cameo" not in catalog["OrganizationRegistered"]
