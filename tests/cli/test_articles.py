"""The bundled articles, imported into one shared ledger, tell their stories truthfully.

India, 31 Aug 2020: a yen loan of up to ¥50 bn on terms, and a ¥1 bn grant agreed by exchange
of notes. Liberia, 6 Aug 2020: two exchanges of notes for ¥350 M in all, an equipment list with
quantities, the ambassador's quote. Organisations and programmes repeated across articles are
recorded once and corroborated; nothing is summed twice.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SEED

EXAMPLES = SEED.parent
INDIA = EXAMPLES / "india-japan-covid-loan-and-grant-2020.jsonl"
LIBERIA = EXAMPLES / "japan-liberia-exchanges-of-notes-2020.jsonl"


@pytest.fixture
def shared(diplo: Any, store: str) -> str:
    for path in (SEED, INDIA, LIBERIA):
        result = diplo("import", str(path), "--store", store)
        assert result.exit_code == 0, result.output
    return store


def figures(diplo: Any, store: str, a: str, b: str) -> dict[str, str]:
    result = diplo("report", "partnership", a, b, "--format", "json", "--store", store)
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.output)["figures"])


def views(store: str, sql: str) -> list[tuple[Any, ...]]:
    import sqlite3

    return sqlite3.connect(Path(store).with_suffix(".views.db")).execute(sql).fetchall()


def test_each_article_after_the_first_imports_into_the_shared_ledger(
    diplo: Any, store: str
) -> None:
    outputs = [diplo("import", str(p), "--store", store).output for p in (SEED, INDIA, LIBERIA)]
    assert "recorded 23 new" in outputs[0]
    assert "recorded 17 new, 1 skipped" in outputs[1]  # gov-jp, already registered by UzA
    assert "recorded 14 new, 2 skipped" in outputs[2]  # gov-jp and the programme, repeated


def test_repeated_registrations_are_corroborated_not_recorded_twice(
    diplo: Any, shared: str
) -> None:
    rows = json.loads(
        diplo("log", "--type", "EventCorroborated", "--format", "json", "--store", shared).output
    )
    targets = sorted(r["event"]["target"] for r in rows)
    assert targets == [
        "netindian-2020-08-31/programme/esdp-jp",
        "uza-676233/org/gov-jp",
        "uza-676233/org/gov-jp",
    ]
    (sources,) = views(shared, "SELECT sources FROM organizations WHERE org = 'gov-jp'")[0:1]
    assert sources == (3,)  # UzA, NetIndian, Liberian Observer


def test_india_the_loan_is_lent_up_to_50_billion_yen_with_its_terms(
    diplo: Any, shared: str
) -> None:
    (loan,) = views(
        shared,
        "SELECT lender, borrower, value, currency, qualifier, interest_rate, maturity_years, "
        "grace_years, under, pair FROM loans",
    )
    assert loan == (
        "jica",
        "gov-in",
        "50000000000",
        "JPY",
        "up-to",
        "0.01",
        15,
        4,
        "en-in-covid-loan-2020",
        "IN-JP",
    )
    money = figures(diplo, shared, "IN", "JP")
    assert money["lent JPY"] == "up to 50,000,000,000"
    assert money["granted JPY"] == "1000000000"  # the grant, never the loan added to it


def test_india_the_grant_was_agreed_by_exchange_of_notes(diplo: Any, shared: str) -> None:
    agreements = views(shared, "SELECT agreement, kind, value, qualifier FROM agreements")
    india = [a for a in agreements if a[0].startswith("en-in-")]
    assert sorted(india) == [
        ("en-in-covid-grant-2020", "exchange-of-notes", "1000000000", None),
        ("en-in-covid-loan-2020", "exchange-of-notes", "50000000000", "up-to"),
    ]
    assert views(shared, "SELECT under FROM grants WHERE pair = 'IN-JP'") == [
        ("en-in-covid-grant-2020",)
    ]
    # agreed is its own kind: the notes' amounts are not added to what was granted or lent
    assert figures(diplo, shared, "IN", "JP")["agreed JPY"] == "up to 51,000,000,000"


def test_liberia_two_exchanges_of_notes_total_350_million_yen(diplo: Any, shared: str) -> None:
    money = figures(diplo, shared, "JP", "LR")
    assert money["agreed JPY"] == "350000000"
    assert money["granted JPY"] == "350000000"
    assert views(shared, "SELECT COUNT(*) FROM agreements WHERE pairs = 'JP-LR'") == [(2,)]


def test_liberia_the_equipment_list_keeps_its_quantities(shared: str) -> None:
    items = views(
        shared,
        "SELECT description, quantity FROM funded_equipment "
        "WHERE grant = 'lr-medical-equipment-2020' ORDER BY item",
    )
    assert len(items) == 23
    assert sum(quantity for _, quantity in items) == 140
    assert ("portable ultrasound scanners", 2) in items


def test_liberia_the_ambassadors_quote_is_in_the_pairs_statements(shared: str) -> None:
    (row,) = views(
        shared, "SELECT by, pairs, kind, text FROM statements WHERE by = 'himeno-tsutomu'"
    )
    assert row[:3] == ("himeno-tsutomu", "JP-LR", "quote")
    assert "the showcase of the strong Japan-Liberia friendship and partnership" in row[3]


def test_every_new_type_is_found_by_country_and_by_pair(diplo: Any, shared: str) -> None:
    logged = json.loads(
        diplo("log", "--country", "LR", "--format", "json", "--store", shared).output
    )
    types = {row["type"] for row in logged}
    assert {"AgreementSigned", "StatementMade", "DiplomaticRelationsEstablished"} <= types
    audit = json.loads(diplo("audit", "IN-JP", "--format", "json", "--store", shared).output)
    audited = {entry["type"] for entry in audit}
    assert {"AgreementSigned", "LoanAgreementSigned", "StatementMade"} <= audited


def test_a_month_or_a_year_is_imprecise_not_uncertain(diplo: Any, shared: str) -> None:
    """``2019-08`` (the TICAD meeting) and ``1961`` (relations) are surely in that month or
    year: the audit's list of uncertain dates leaves them out, the timeline says their
    precision. The seed's ``2025?`` is uncertain and stays listed."""
    audit = json.loads(diplo("audit", "--format", "json", "--store", shared).output)
    dates = {entry["occurred_on"] for entry in audit}
    assert "2025?" in dates
    assert not dates & {"2019-08", "1961"}
    timeline = views(
        shared,
        "SELECT occurred_on, uncertain, precision FROM timeline WHERE occurred_on IN "
        "('2019-08', '1961', '2025?') GROUP BY occurred_on ORDER BY occurred_on",
    )
    assert timeline == [("1961", 0, "year"), ("2019-08", 0, "month"), ("2025?", 1, "year")]
