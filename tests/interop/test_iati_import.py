"""`diplo import --format iati FILE.xml`: real IATI activity files into ledger events, all or
nothing, idempotent, codes checked, hostile XML refused with FILE:LINE: element: message."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import GRANT, ORG, store_digest, write_jsonl

SHARED = Path(__file__).parents[1] / "fixtures" / "shared" / "iati"  # see its SOURCE.md
DFID = SHARED / "real" / "dfid-gb-1-albania-2.01.xml"
GLOBAL_FUND = SHARED / "real" / "global-fund-legacy-1.0.xml"
EXAMPLE = SHARED / "example-annotated-2.03-fictitious.xml"


def import_iati(diplo: Any, store: str, path: Path | str) -> Any:
    return diplo("import", "--format", "iati", str(path), "--store", store, "--no-views")


def events(diplo: Any, store: str, type_name: str) -> list[dict[str, Any]]:
    result = diplo("log", "--type", type_name, "--format", "json", "--store", store)
    return [row["event"] for row in json.loads(result.stdout)]


def test_dfid_albania_becomes_grants_and_payments_once(diplo: Any, store: str) -> None:
    first = import_iati(diplo, store, DFID)
    assert first.exit_code == 0, first.output
    assert "recorded 44 new, 0 skipped" in first.output
    assert "14 budget" in " ".join(first.output.split())  # what diplo has no place for: said
    grants = {g["grant"]: g for g in events(diplo, store, "GrantAgreementSigned")}
    assert len(grants) == 8
    child = grants["iati-gb-1-109616-101"]
    assert child["donor"] == "GB" and child["recipient"] == "AL"
    assert child["amount"] == {"value": "1500000.00", "currency": "GBP"}
    assert child["occurred_on"] == "2007-01-01" and child["sector"] == "15110"
    assert child["key"] == "iati:GB-1-109616-101"
    assert child["sources"][0]["publisher"] == "Department for International Development"
    paid = [e for e in events(diplo, store, "FundsDisbursed") if e["of"] == child["grant"]]
    assert [(p["occurred_on"], p["amount"]["value"]) for p in paid] == [
        ("2007-03-31", "500000.00"),
        ("2008-03-31", "500000.00"),
        ("2009-03-31", "500000.00"),
    ]
    again = import_iati(diplo, store, DFID)
    assert again.exit_code == 0 and "recorded 0 new, 44 skipped" in again.output


def test_a_legacy_1_0_file_is_refused_at_its_root(diplo: Any, store: str) -> None:
    before = store_digest(store)
    result = import_iati(diplo, store, GLOBAL_FUND)
    assert result.exit_code == 1
    assert f"{GLOBAL_FUND}:2: iati-activities: version 1.0 is not supported" in result.output
    assert store_digest(store) == before


def test_the_annotated_example_names_the_line_of_its_second_recipient_country(
    diplo: Any, store: str, tmp_path: Path
) -> None:
    result = import_iati(diplo, store, EXAMPLE)
    assert result.exit_code == 1
    assert f"{EXAMPLE}:107: recipient-country: 2 recipient countries" in result.output
    # With one recipient country, every element of the example is known and every code valid.
    one = tmp_path / "one-country.xml"
    one.write_text(
        EXAMPLE.read_text().replace('<recipient-country code="AG" percentage="25" />', "")
    )
    result = import_iati(diplo, store, one)
    assert result.exit_code == 0, result.output
    (grant,) = events(diplo, store, "GrantAgreementSigned")
    assert grant["recipient"] == "AF" and grant["donor"] == "iati-bb-bbb-123456789"
    assert "amount" not in grant  # its one transaction is incoming funds (1), not a commitment
    assert "1 transactions of type 1" in " ".join(result.output.split())  # said, not dropped
    (funder,) = events(diplo, store, "OrganizationRegistered")
    assert (funder["name"], funder["country"], funder["kind"]) == (
        "Name of Agency B",
        "BB",
        "other",
    )


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('<transaction-type code="2"/>', '<transaction-type code="99"/>',
         "transaction-type: @code '99' is not in the IATI TransactionType codelist"),
        ('currency="GBP">1500000.00', 'currency="GBQ">1500000.00',
         "value: currency 'GBQ' is not in the IATI codelist"),
        ('code="15110" vocabulary="1"', 'code="15199" vocabulary="1"',
         "sector: @code '15199' is not an OECD DAC CRS purpose code"),
        ("<default-tied-status", "<made-up-element/><default-tied-status",
         "made-up-element: unknown element in iati-activity"),
        ('currency="GBP">1500000.00', 'currency="GBP">-1500000.00',
         "value: a negative amount (a reversal) cannot be recorded"),
    ],
)  # fmt: skip
def test_a_bad_code_or_element_refuses_the_whole_file_at_its_line(
    diplo: Any, store: str, tmp_path: Path, old: str, new: str, expected: str
) -> None:
    text = DFID.read_text()
    assert old in text
    path = tmp_path / "bad.xml"
    path.write_text(text.replace(old, new, 1))
    line = text[: text.index(old)].count("\n") + 1
    before = store_digest(store)
    result = import_iati(diplo, store, path)
    assert result.exit_code == 1
    assert f"{path}:{line}: {expected}" in " ".join(result.output.split())
    assert store_digest(store) == before  # all or nothing


BOMB = """<?xml version="1.0"?>
<!DOCTYPE iati-activities [
 <!ENTITY a "aaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
]>
<iati-activities version="2.03">&b;</iati-activities>
"""
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>
<iati-activities version="2.03">&e;</iati-activities>
"""


@pytest.mark.parametrize("text", [BOMB, EXTERNAL])
def test_entities_and_dtds_are_refused(diplo: Any, store: str, tmp_path: Path, text: str) -> None:
    path = tmp_path / "hostile.xml"
    path.write_text(text)
    result = import_iati(diplo, store, path)
    assert result.exit_code == 1
    assert f"{path}:2: XML: refused: a DTD" in result.output


def test_a_file_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    from diplo.events.errors import InvalidEvent
    from diplo.events.iati_xml import read_xml

    path = tmp_path / "big.xml"
    shutil.copy(DFID, path)
    with pytest.raises(InvalidEvent, match="larger than 0 MB; split it"):
        read_xml(str(path), max_bytes=1000)


def test_malformed_xml_names_its_line(diplo: Any, store: str, tmp_path: Path) -> None:
    path = tmp_path / "broken.xml"
    path.write_text('<iati-activities version="2.03">\n<iati-activity>\n</iati-activities>\n')
    result = import_iati(diplo, store, path)
    assert result.exit_code == 1
    assert f"{path}:3: XML: not well-formed XML: mismatched tag" in result.output


def test_diplos_own_export_imports_into_another_ledger(
    diplo: Any, store: str, tmp_path: Path
) -> None:
    source = tmp_path / "source.db"
    assert diplo("init", "--store", str(source)).exit_code == 0
    grant = GRANT | {"recipient": "UZ", "sector": "12191"}
    diplo("import", write_jsonl(tmp_path / "g.jsonl", ORG, grant), "--store", str(source))
    exported = diplo("export", "--format", "iati", "--store", str(source)).stdout
    path = tmp_path / "diplo.xml"
    path.write_text(exported)
    result = import_iati(diplo, store, path)
    assert result.exit_code == 0, result.output
    (imported,) = events(diplo, store, "GrantAgreementSigned")
    assert (imported["donor"], imported["recipient"], imported["sector"]) == ("JP", "UZ", "12191")
    assert imported["amount"] == GRANT["amount"]
    assert imported["occurred_on"] == GRANT["occurred_on"]
