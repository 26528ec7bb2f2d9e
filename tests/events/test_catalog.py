"""The catalog: every type validates strictly, and has one canonical form and key."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from diplo.events.catalog import (
    CATALOG,
    canonical_dict,
    canonical_json,
    default_key,
    key_of,
    parse_fact,
)
from diplo.events.errors import InvalidEvent
from tests.conftest import GRANT

V1_TYPES = {
    "OrganizationRegistered",
    "PersonRegistered",
    "PersonAppointed",
    "ProgrammeRegistered",
    "MeetingHeld",
    "GrantAgreementSigned",
    "EquipmentFunded",
    "EquipmentDelivered",
    "ClinicPlanned",
    "ProjectMilestoneReached",
    "CooperationEstablished",
    "CommitmentStated",
    "EventCorrected",
    "EventRetracted",
}


def test_the_catalog_holds_every_v1_event_type_with_a_schema_version() -> None:
    assert set(CATALOG) >= V1_TYPES
    assert all(CATALOG[name].SCHEMA_VERSION >= 1 for name in V1_TYPES)


def test_models_are_frozen() -> None:
    fact = parse_fact(GRANT)
    with pytest.raises(ValidationError, match="frozen"):
        fact.purpose = "changed"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"type": "GrantSigned"}, "type", "did you mean GrantAgreementSigned"),
        ({"grant": None}, "grant", ""),
        ({"colour": "red"}, "colour", "unknown field"),
        ({"grant": "G 1"}, "grant", "lowercase id"),
        ({"occurred_on": "2024-02-30"}, "occurred_on", "no such day"),
        ({"purpose": "x" * 5000}, "purpose", "at most 4000"),
        ({"purpose": "null\x00byte"}, "purpose", "control characters"),
        ({"sector": "12"}, "sector", "CRS"),
        (
            {"amount": {"value": "1", "currency": "JPY", "extra": 1}},
            "amount.extra",
            "unknown field",
        ),
    ],
)
def test_invalid_events_name_the_field_and_what_was_expected(
    change: dict[str, object], field: str, message: str
) -> None:
    body = {k: v for k, v in (GRANT | change).items() if v is not None}
    with pytest.raises(InvalidEvent) as refused:
        parse_fact(body)
    problem = refused.value.problems[0]
    assert problem.field == field
    assert message in problem.message


def test_a_missing_field_is_reported_as_required() -> None:
    body = {k: v for k, v in GRANT.items() if k != "purpose"}
    with pytest.raises(InvalidEvent, match="purpose: required field is missing"):
        parse_fact(body)


def test_activity_events_must_say_when_they_happened() -> None:
    body = {k: v for k, v in GRANT.items() if k != "occurred_on"}
    with pytest.raises(InvalidEvent, match="occurred_on: required"):
        parse_fact(body)


def test_equivalent_spellings_have_one_canonical_form_and_key() -> None:
    plain = parse_fact(GRANT)
    spelled = parse_fact(
        GRANT
        | {
            "donor": "JP",
            "amount": {"value": "10000000", "currency": "JPY"},
            "sources": [],
            "programme": None,
        }
    )
    assert canonical_json(canonical_dict(plain)) == canonical_json(canonical_dict(spelled))
    assert key_of(plain) == key_of(spelled)


def test_the_default_key_ignores_who_recorded_the_fact() -> None:
    assert key_of(parse_fact(GRANT | {"recorded_by": "a"})) == key_of(
        parse_fact(GRANT | {"recorded_by": "b"})
    )


def test_one_text_in_two_normal_forms_is_one_fact_with_one_key() -> None:
    composed, decomposed = "Santé publique", "Sante\u0301 publique"
    one, other = (parse_fact(GRANT | {"purpose": text}) for text in (composed, decomposed))
    assert one.purpose == other.purpose == composed  # type: ignore[attr-defined]
    assert key_of(one) == key_of(other)


def test_a_given_default_key_must_be_the_one_the_content_gets() -> None:
    own = default_key(parse_fact(GRANT))
    assert parse_fact(GRANT | {"key": own}).key == own
    with pytest.raises(InvalidEvent, match="key: keys beginning 'sha256:' are reserved"):
        parse_fact(GRANT | {"purpose": "Other", "key": own})


def test_a_given_key_is_kept() -> None:
    assert key_of(parse_fact(GRANT | {"key": "uza/grant-1"})) == "uza/grant-1"


def test_a_different_fact_has_a_different_key() -> None:
    assert key_of(parse_fact(GRANT)) != key_of(parse_fact(GRANT | {"purpose": "Other"}))


def test_a_clinic_region_must_lie_in_its_country() -> None:
    clinic = {
        "type": "ClinicPlanned",
        "project": "c",
        "name": "C",
        "country": "UZ",
        "region": "KZ-10",
        "financing": "ppp",
        "occurred_on": "2025",
    }
    with pytest.raises(InvalidEvent, match="not in country UZ"):
        parse_fact(clinic)
