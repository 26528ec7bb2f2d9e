"""The reports of catalog v2 tell money as it is, and each pair's dossier tells what one side
said about the other.

Read from the bundled articles (Uzbekistan, India, Liberia) in one shared ledger: amounts per
kind and currency, never mixed; a ceiling says "up to"; every kind says how many of its events
state no amount; equivalents are shown beside amounts, never summed; every row gives its
independent sources.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SEED, store_digest, write_jsonl

INDIA = SEED.parent / "india-japan-covid-loan-and-grant-2020.jsonl"
LIBERIA = SEED.parent / "japan-liberia-exchanges-of-notes-2020.jsonl"


@pytest.fixture
def shared(diplo: Any, store: str) -> str:
    for path in (SEED, INDIA, LIBERIA):
        assert diplo("import", str(path), "--store", store).exit_code == 0
    return store


def report(diplo: Any, store: str, *args: str) -> dict[str, Any]:
    result = diplo("report", *args, "--format", "json", "--store", store)
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.stdout))


def test_each_kind_of_money_has_its_report_and_its_own_totals(diplo: Any, shared: str) -> None:
    loans = report(diplo, shared, "loans")["figures"]
    assert loans["lent JPY"] == "up to 50,000,000,000"
    assert loans["loans with no amount stated"] == "0"
    agreed = report(diplo, shared, "agreements")["figures"]
    # India's two notes (up to ¥50 bn and ¥1 bn) and Liberia's two (¥100 M and ¥250 M)
    assert agreed["agreed JPY"] == "up to 51,350,000,000"
    granted = report(diplo, shared, "grants")["figures"]
    # the grants under those notes, and the seed's three grants that state no amount
    assert granted["granted JPY"] == "1,350,000,000 (3 of 6 grants state no amount)"
    assert granted["grants with no amount stated"] == "3"
    assert "lent JPY" not in granted and "agreed JPY" not in granted


def test_rows_carry_qualifiers_equivalents_and_their_independent_sources(
    diplo: Any, shared: str
) -> None:
    (loan,) = report(diplo, shared, "loans")["sections"]["Loans"]
    assert (loan["value"], loan["qualifier"]) == ("50000000000", "up-to")
    assert loan["equivalents"] == "about INR 35000000000"
    assert loan["sources"] == 2  # NetIndian and News18
    grants = {g["grant"]: g for g in report(diplo, shared, "grants")["sections"]["Grants"]}
    assert grants["lr-food-assistance-2020"]["sources"] == 3
    html = diplo("report", "loans", "--format", "html", "--store", shared).stdout
    assert "up to 50,000,000,000</span> JPY" in html
    assert "stated: about INR 35000000000" in html  # beside the amount, as stated
    assert "0.01 % p.a., 15 years incl. 4 of grace" in html


def test_a_pair_s_dossier_has_a_section_for_each_kind_and_its_money_by_kind(
    diplo: Any, shared: str
) -> None:
    dossier = report(diplo, shared, "partnership", "IN", "JP")
    sections = dossier["sections"]
    assert [row["loan"] for row in sections["Loans"]] == ["in-covid-crisis-response-2020"]
    assert len(sections["Agreements"]) == 2
    assert [row["statement"] for row in sections["Statements"]] == [
        "jp-in-press-release-2020-08-31"
    ]
    for title in ("Visits", "Disbursements", "Technical cooperation", "Diplomatic relations"):
        assert title in sections
    figures = dossier["figures"]
    assert figures["lent JPY"] == "up to 50,000,000,000"
    assert figures["granted JPY"] == "1000000000"
    assert figures["agreed JPY"] == "up to 51,000,000,000"
    for noun in ("agreements", "grants", "loans", "disbursements"):
        assert figures[f"{noun} with no amount stated"] == "0"


def test_what_one_side_said_about_the_other_is_in_that_pair_s_dossier_only(
    diplo: Any, shared: str
) -> None:
    liberia = report(diplo, shared, "partnership", "JP", "LR")["sections"]
    assert [row["by"] for row in liberia["Statements"]] == ["himeno-tsutomu"]
    (approval,) = liberia["Commitments"]  # the cabinet's approval, about Liberia
    assert (approval["by"], approval["about"], approval["value"]) == ("gov-jp", "LR", "350000000")
    india = report(diplo, shared, "partnership", "IN", "JP")["sections"]
    assert all(row["by"] != "himeno-tsutomu" for row in india["Statements"])
    assert india["Commitments"] == []


def test_a_commitment_s_amount_is_told_never_summed(diplo: Any, shared: str) -> None:
    figures = report(diplo, shared, "partnership", "JP", "LR")["figures"]
    assert figures["agreed JPY"] == "350000000"  # not 700,000,000 with the cabinet's approval
    assert figures["granted JPY"] == "350000000"


def test_equipment_rows_carry_category_and_the_delivery_s_total(
    diplo: Any, store: str, tmp_path: Path
) -> None:
    delivery = {
        "type": "EquipmentDelivered",
        "delivery": "d1",
        "donor": "JP",
        "recipient": "UZ",
        "items": [
            {"description": "ambulances", "quantity": 4, "category": "vehicles"},
            {"description": "masks", "category": "medical-supplies"},
        ],
        "total": {"value": "120000", "currency": "USD", "qualifier": "about"},
        "occurred_on": "2024-05",
    }
    result = diplo("import", write_jsonl(tmp_path / "d.jsonl", delivery), "--store", store)
    assert result.exit_code == 0, result.output
    rows = report(diplo, store, "equipment")["sections"]["Equipment"]
    assert [(r["category"], r["delivery_total"]) for r in rows] == [
        ("vehicles", "about 120000 USD"),
        ("medical-supplies", "about 120000 USD"),
    ]


def test_a_withdrawn_sector_code_in_an_import_is_refused_where_it_stands(
    diplo: Any, store: str, tmp_path: Path
) -> None:
    path = write_jsonl(
        tmp_path / "g.jsonl",
        {
            "type": "GrantAgreementSigned",
            "grant": "g1",
            "donor": "JP",
            "recipient": "UZ",
            "purpose": "energy policy",
            "sector": "23010",
            "occurred_on": "2021-04",
        },
    )
    before = store_digest(store)
    result = diplo("import", path, "--store", store)
    assert result.exit_code == 1
    assert (
        f"{path}:1: sector: 23010 (Energy policy and administrative management) was withdrawn "
        "from the CRS codelist on 2020-02-28" in result.stderr
    )
    assert store_digest(store) == before


def test_the_html_dossier_names_empty_sections_in_one_line_instead_of_a_heading_each(
    diplo: Any, shared: str
) -> None:
    html = diplo("report", "partnership", "IN", "JP", "--format", "html", "--store", shared)
    text = html.stdout
    assert '<h2 id="loans">Loans (1)</h2>' in text
    assert '<h2 id="meetings">' not in text  # India and Japan: no meeting recorded
    line = text.split('id="not-recorded">', 1)[1].split("</p>", 1)[0]
    assert "meetings" in line and "visits" in line and "disbursements" in line
    assert "loans" not in line and "grants" not in line
    # a report of one kind still says so where its table would be
    empty = diplo("report", "disbursements", "--format", "html", "--store", shared).stdout
    assert "None recorded." in empty and 'id="not-recorded"' not in empty
