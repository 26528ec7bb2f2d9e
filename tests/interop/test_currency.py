"""`--in CUR` on reports: each amount at the IMF annual average of its year, in decimals; the
table and its date named; every amount that cannot be converted listed with its reason."""

from __future__ import annotations

import json
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path
from typing import Any

import pytest

from diplo.events.fx import imf_rates
from tests.conftest import ORG, write_jsonl

# The IMF's 2020 annual averages, as the shipped table has them (units per US dollar).
JPY_2020 = Decimal("106.7745822624372")
KRW_2020 = Decimal("1180.265833333333")


def grant(grant_id: str, donor: str, value: str, currency: str, on: str) -> dict[str, Any]:
    return {
        "type": "GrantAgreementSigned",
        "grant": grant_id,
        "donor": donor,
        "recipient": "moh-uz",
        "purpose": "Health",
        "amount": {"value": value, "currency": currency},
        "occurred_on": on,
    }


@pytest.fixture
def grants_ledger(diplo: Any, store: str, tmp_path: Path) -> str:
    lines = [
        ORG,
        grant("g-jp", "JP", "100000000", "JPY", "2020-08-06"),
        grant("g-kr", "KR", "5000000000", "KRW", "2020"),  # a year is enough for an annual rate
        grant("g-late", "JP", "7000000", "JPY", "2031-01-01"),  # beyond the table
    ]
    assert (
        diplo("import", write_jsonl(tmp_path / "g.jsonl", *lines), "--store", store).exit_code == 0
    )
    return store


def report(diplo: Any, store: str, *args: str) -> dict[str, Any]:
    result = diplo("report", *args, "--format", "json", "--store", store)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def usd(value: str, rate: Decimal) -> Decimal:
    return (Decimal(value) / rate).quantize(Decimal("0.01"), ROUND_HALF_EVEN)


def test_japan_and_korea_to_uzbekistan_in_one_currency(diplo: Any, grants_ledger: str) -> None:
    data = report(diplo, grants_ledger, "grants", "--in", "USD")
    rows = {row["grant"]: row for row in data["sections"]["Grants"]}
    assert rows["g-jp"]["in USD"] == str(usd("100000000", JPY_2020))
    assert rows["g-kr"]["in USD"] == str(usd("5000000000", KRW_2020))
    assert rows["g-late"]["in USD"] is None
    total = usd("100000000", JPY_2020) + usd("5000000000", KRW_2020)
    assert data["figures"]["Grants in USD"] == f"{total:,} (1 amount not converted, listed)"
    assert "IMF annual average exchange rates" in data["figures"]["exchange rates"]
    assert data["figures"]["rate table date"] == imf_rates().as_of == "2024-12-31"
    (missing,) = data["sections"]["Amounts not converted to USD"]
    assert missing["value"] == "7000000" and missing["currency"] == "JPY"
    assert missing["reason"] == "no rate for JPY in 2031 in the table"


def test_a_currency_other_than_the_dollar_goes_through_both_rates(
    diplo: Any, grants_ledger: str
) -> None:
    data = report(diplo, grants_ledger, "partnership", "JP", "UZ", "--in", "KRW")
    rows = {row["grant"]: row for row in data["sections"]["Grants"]}
    expected = (Decimal("100000000") / JPY_2020 * KRW_2020).quantize(Decimal("0.01"))
    assert rows["g-jp"]["in KRW"] == str(expected)


def test_every_report_takes_in(diplo: Any, grants_ledger: str) -> None:
    for name in ("grants", "equipment", "projects", "meetings", "timeline"):
        data = report(diplo, grants_ledger, name, "--in", "EUR")
        assert data["figures"]["rate table date"] == "2024-12-31", name


def test_an_unknown_currency_is_a_usage_error(diplo: Any, grants_ledger: str) -> None:
    result = diplo("report", "grants", "--in", "usd", "--store", grants_ledger)
    assert result.exit_code == 2
    assert "did you mean 'USD'" in result.output


def test_shared_currencies_take_their_issuers_rate_and_the_dollar_is_one() -> None:
    rates = imf_rates()
    assert rates.rate("USD", 2022) == 1  # the table also lists Haiti's gourde as "USD"
    assert rates.rate("EUR", 2020) == Decimal("0.875506396987998")  # the euro area's
    assert rates.rate("JPY", 2020) == JPY_2020
