"""The pure-Python values read pycountry's country list as pycountry itself reads it."""

from __future__ import annotations

import pycountry
import pytest

from diplo.events import basic
from diplo.events.basic import _country, country_code, iso_countries
from diplo.projections.provenance import countries


def test_the_country_list_read_from_pycountrys_file_is_pycountrys_own() -> None:
    read = {c["alpha_2"]: (c["name"], c.get("common_name")) for c in iso_countries()}
    theirs = {c.alpha_2: (c.name, getattr(c, "common_name", None)) for c in pycountry.countries}
    assert read == theirs


def test_a_report_names_countries_as_pycountry_does() -> None:
    expected = {c.alpha_2: getattr(c, "common_name", None) or c.name for c in pycountry.countries}
    assert countries() == expected
    assert countries()["KR"] == "South Korea"


def test_without_the_file_the_list_comes_from_pycountry_itself(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def moved() -> list[dict[str, str]]:
        raise FileNotFoundError("databases/iso3166-1.json")

    monkeypatch.setattr(basic, "_iso_3166_1", moved)
    basic.iso_countries.cache_clear()
    try:
        assert {c["alpha_2"] for c in iso_countries()} == {c.alpha_2 for c in pycountry.countries}
    finally:
        basic.iso_countries.cache_clear()


@pytest.mark.parametrize("code", ["JP", "UZ", "SS", "XK"])
def test_a_country_code_is_accepted_exactly_when_pycountry_knows_it(code: str) -> None:
    known = pycountry.countries.get(alpha_2=code) is not None
    for check in (_country, country_code):
        if known:
            assert check(code) == code
        else:
            with pytest.raises(ValueError, match="unknown country"):
                check(code)


@pytest.mark.parametrize("code", ["jp", "JPN", "Japan", "", "ZZ"])
def test_a_reader_is_refused_a_country_in_the_words_of_input(code: str) -> None:
    with pytest.raises(ValueError) as refused:
        _country(code)
    with pytest.raises(ValueError) as as_input:
        country_code(code)
    assert str(as_input.value) == str(refused.value)
