"""Value types: codes are checked against ISO lists, money is exact, dates are partial."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from diplo.events.values import CountryCode, Money, PartialDate, Party, RegionCode, SectorCode


class Probe(BaseModel):
    country: CountryCode | None = None
    region: RegionCode | None = None
    sector: SectorCode | None = None
    party: Party | None = None
    money: Money | None = None
    when: PartialDate | None = None


@pytest.mark.parametrize(
    ("text", "earliest", "latest", "uncertain", "precision"),
    [
        ("2024", date(2024, 1, 1), date(2024, 12, 31), False, "year"),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29), False, "month"),
        ("2023-02", date(2023, 2, 1), date(2023, 2, 28), False, "month"),
        ("2024-03-15", date(2024, 3, 15), date(2024, 3, 15), False, "day"),
        ("2024~", date(2024, 1, 1), date(2024, 12, 31), True, "year"),
        ("2024-03-15?", date(2024, 3, 15), date(2024, 3, 15), True, "day"),
    ],
)
def test_a_partial_date_spans_its_days_and_is_uncertain_only_when_qualified(
    text: str, earliest: date, latest: date, uncertain: bool, precision: str
) -> None:
    """A month or a year is imprecise, not uncertain: only ``?``, ``~`` and ``%`` say so."""
    parsed = PartialDate(text)
    assert (parsed.earliest, parsed.latest, parsed.uncertain) == (earliest, latest, uncertain)
    assert parsed.precision == precision
    assert str(parsed) == text


@pytest.mark.parametrize(
    "text",
    ["2024-02-30", "2024-13", "24", "2024/03/01", "2024-3-1", "2024??", "", "2024-03-15T10:00"],
)
def test_impossible_or_malformed_dates_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="date"):
        PartialDate(text)


def test_partial_dates_sort_by_earliest_then_latest_day() -> None:
    texts = ["2025", "2024-03-15", "2024", "2024-03", "2023-12-31"]
    assert [str(d) for d in sorted(map(PartialDate, texts))] == [
        "2023-12-31",
        "2024",
        "2024-03",
        "2024-03-15",
        "2025",
    ]


@given(st.dates(min_value=date(1000, 1, 1), max_value=date(2999, 12, 31)))
def test_a_day_is_within_its_month_and_year(day: date) -> None:
    exact = PartialDate(day.isoformat())
    month, year = PartialDate(day.isoformat()[:7]), PartialDate(day.isoformat()[:4])
    assert year.earliest <= month.earliest <= exact.earliest <= exact.latest <= month.latest
    assert month.latest <= year.latest


def test_codes_in_their_iso_form_are_kept_as_they_are() -> None:
    probe = Probe(
        country="JP", region="UZ-SA", party="UZ", money={"value": "2500.50", "currency": "JPY"}
    )
    assert (probe.country, probe.region, probe.party) == ("JP", "UZ-SA", "UZ")
    assert probe.money is not None and probe.money.currency == "JPY"
    assert str(probe.money.decimal) == "2500.50"


@pytest.mark.parametrize(
    ("field", "value", "hint"),
    [
        ("country", "jp", "country codes are upper case: did you mean 'JP'?"),
        ("region", "uz-sa", "region codes are upper case: did you mean 'UZ-SA'?"),
        ("money", {"value": "1", "currency": "jpy"}, "did you mean 'JPY'?"),
    ],
)
def test_a_code_in_the_wrong_case_is_refused_with_the_right_one_suggested(
    field: str, value: object, hint: str
) -> None:
    with pytest.raises(ValidationError, match=re.escape(hint)):
        Probe.model_validate({field: value})


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("country", "XX", "ISO 3166-1"),
        ("region", "UZ-ZZ", "ISO 3166-2"),
        ("sector", "1219", "CRS"),
        ("sector", "99999", "CRS"),
        ("party", "Not An Id", "neither a country"),
        ("money", {"value": 1.5, "currency": "JPY"}, "not a JSON number"),
        ("money", {"value": 100, "currency": "JPY"}, "not a JSON number"),
        ("money", {"value": "-5", "currency": "JPY"}, "non-negative decimal"),
        ("money", {"value": "1e9", "currency": "JPY"}, "non-negative decimal"),
        ("money", {"value": "NaN", "currency": "JPY"}, "non-negative decimal"),
        ("money", {"value": "1" * 40, "currency": "JPY"}, "non-negative decimal"),
        ("money", {"value": "10", "currency": "XXX"}, "ISO 4217"),
        ("money", {"value": "10", "currency": "ZZZ"}, "ISO 4217"),
        ("when", 2024, "date string"),
    ],
)
def test_invalid_values_are_refused_saying_what_was_expected(
    field: str, value: object, expected: str
) -> None:
    with pytest.raises(ValidationError, match=expected):
        Probe.model_validate({field: value})


def test_a_lowercase_two_letter_party_is_an_organisation_id_not_a_country() -> None:
    assert Probe(party="un").party == "un"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("money", {"value": "1\u0660\u0660\u0660", "currency": "JPY"}),  # Arabic-Indic zeros
        ("when", "\u0662\u0660\u0662\u0664"),
        ("when", "２０２４-03"),
        ("sector", "\u0967\u0968\u0967\u096f\u0967"),  # Devanagari 12191
    ],
)
def test_digits_of_other_scripts_are_refused_saying_ascii_digits_are_expected(
    field: str, value: object
) -> None:
    with pytest.raises(ValidationError, match="expected ASCII digits 0-9"):
        Probe.model_validate({field: value})


@pytest.mark.parametrize("code", ["ß", "ss", "ıt", "ＪＰ", "J P", "JPN", "\u212aE"])
def test_a_country_code_is_never_case_mapped_into_another(code: str) -> None:
    with pytest.raises(ValidationError, match="unknown country"):
        Probe.model_validate({"country": code})
