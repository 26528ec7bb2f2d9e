"""Red team: look-alikes never pass for what they imitate (issue 15, hole 7).

Before: ``1٠٠٠`` (Arabic-Indic zeros) was summed as 1000, ``٢٠٢٤`` was a year and ``1٢١٩١`` a
sector; codes were upper-cased before checking, so ``ß`` became ``SS`` (South Sudan); one name in
two Unicode normal forms was recorded twice; and anyone could record a fact under the
``sha256:…`` key that another fact's content gets by default, squatting it.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from diplo.events.catalog import default_key, parse_fact
from tests.conftest import GRANT, ORG, store_digest, write_jsonl

PROGRAMME = {"type": "ProgrammeRegistered", "programme": "ggp", "name": "GGP", "donor": "JP"}


def refused(diplo: Any, store: str, tmp_path: Path, *bodies: dict[str, Any]) -> str:
    """Import ``bodies``; they must be refused with the store unchanged. The error output."""
    before = store_digest(store)
    result = diplo("import", write_jsonl(tmp_path / "attack.jsonl", *bodies), "--store", store)
    assert result.exit_code == 1, result.output
    assert store_digest(store) == before
    return str(result.stderr)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (GRANT | {"amount": {"value": "1٠٠٠", "currency": "JPY"}}, "amount.value"),
        (GRANT | {"amount": {"value": "１０００", "currency": "JPY"}}, "amount.value"),
        (GRANT | {"occurred_on": "٢٠٢٤-03-15"}, "occurred_on"),
        (GRANT | {"occurred_on": "2024-0３-15"}, "occurred_on"),
        (GRANT | {"sector": "1٢١٩١"}, "sector"),
        (PROGRAMME | {"sector": "१२१९१"}, "sector"),
    ],
)
def test_digits_of_other_scripts_are_refused_saying_ascii_digits_are_expected(
    diplo: Any, store: str, tmp_path: Path, body: dict[str, Any], field: str
) -> None:
    error = refused(diplo, store, tmp_path, ORG, body)
    assert f"{field}: " in error and "expected ASCII digits 0-9" in error


def test_a_whole_number_option_in_other_digits_is_refused(diplo: Any, store: str) -> None:
    result = diplo(
        "record", "ClinicPlanned", "--store", store, "--project", "c1", "--name", "Clinic",
        "--country", "UZ", "--financing", "grant", "--occurred-on", "2025", "--beds", "١٠",
    )  # fmt: skip
    assert result.exit_code == 1
    assert "beds: expected a whole number in ASCII digits 0-9" in result.stderr


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (ORG | {"country": "ß"}, "unknown country 'ß'"),  # "ß".upper() == "SS", South Sudan
        (ORG | {"country": "ıt"}, "unknown country 'ıt'"),  # "ı".upper() == "I": Italy
        (ORG | {"country": "ＪＰ"}, "unknown country 'ＪＰ'"),
        (ORG | {"country": "jp"}, "country codes are upper case: did you mean 'JP'?"),
        (
            GRANT | {"amount": {"value": "1", "currency": "jpy"}},
            "currency codes are upper case: did you mean 'JPY'?",
        ),
        (
            GRANT | {"sources": [{"publisher": "p", "title": "t", "language": "\u212ao"}]},
            "unknown language 'Ko'",  # NFC makes the Kelvin sign K; case is never folded
        ),
        (
            GRANT | {"sources": [{"publisher": "p", "title": "t", "language": "EN"}]},
            "language codes are lower case: did you mean 'en'?",
        ),
    ],
)
def test_codes_are_matched_exactly_never_case_mapped_first(
    diplo: Any, store: str, tmp_path: Path, body: dict[str, Any], message: str
) -> None:
    assert message in refused(diplo, store, tmp_path, ORG | {"org": "other"}, body)


def test_a_country_filter_is_matched_exactly_too(diplo: Any, store: str) -> None:
    result = diplo("log", "--country", "ß", "--store", store)
    assert result.exit_code == 1
    assert "--country: unknown country 'ß'" in result.stderr


def test_one_text_in_two_normal_forms_is_recorded_once(
    diplo: Any, store: str, tmp_path: Path
) -> None:
    text = "Coopération en santé, Tōkyō"
    composed, decomposed = (unicodedata.normalize(form, text) for form in ("NFC", "NFD"))
    assert composed != decomposed
    said = {"type": "CommitmentStated", "by": "JP", "occurred_on": "2024"}
    lines = write_jsonl(
        tmp_path / "twice.jsonl", said | {"statement": decomposed}, said | {"statement": composed}
    )
    result = diplo("import", lines, "--store", store)
    assert result.exit_code == 0, result.output
    assert "recorded 1 new, 1 skipped" in result.stdout
    exported = [json.loads(line) for line in diplo("export", "--store", store).stdout.splitlines()]
    assert [e["statement"] for e in exported] == [composed]


def test_a_default_key_cannot_be_squatted_by_other_content(
    diplo: Any, store: str, tmp_path: Path
) -> None:
    real = default_key(parse_fact(GRANT))
    squat = GRANT | {"purpose": "Something else entirely", "key": real}
    error = refused(diplo, store, tmp_path, ORG, squat)
    assert "key: keys beginning 'sha256:' are reserved for default keys, and this" in error
    lines = write_jsonl(tmp_path / "real.jsonl", ORG, GRANT)
    assert diplo("import", lines, "--store", store).exit_code == 0
    shown = diplo("show", real, "--store", store, "--format", "json")
    assert json.loads(shown.stdout)["event"]["purpose"] == GRANT["purpose"]


@pytest.mark.parametrize("prefix", ["SHA256:", "Sha256:"])
def test_the_reserved_prefix_is_reserved_in_any_case(
    diplo: Any, store: str, tmp_path: Path, prefix: str
) -> None:
    key = prefix + default_key(parse_fact(GRANT)).removeprefix("sha256:")
    assert "reserved for default keys" in refused(diplo, store, tmp_path, ORG, GRANT | {"key": key})


def test_a_default_key_that_is_the_contents_own_is_accepted(
    diplo: Any, store: str, tmp_path: Path
) -> None:
    own = GRANT | {"key": default_key(parse_fact(GRANT))}  # as `diplo export` writes it
    result = diplo("import", write_jsonl(tmp_path / "own.jsonl", ORG, own), "--store", store)
    assert result.exit_code == 0, result.output
