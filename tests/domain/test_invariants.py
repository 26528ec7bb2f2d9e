"""The rules the aggregates guard; each refusal is a named error and writes nothing."""

from __future__ import annotations

import pytest

from diplo.domain.app.ledger import Ledger
from diplo.domain.errors import (
    AlreadyExists,
    AlreadyRetracted,
    GrantAlreadySigned,
    GrantNotSigned,
    InvalidCorrection,
    MilestoneOutOfOrder,
    UnknownEvent,
    UnknownReference,
)
from tests.conftest import GRANT, ORG, PERSON, facts

FUNDED = {
    "type": "EquipmentFunded",
    "grant": "g1",
    "occurred_on": "2025-04",
    "items": [{"description": "Ultrasound scanner", "quantity": 2}],
}
CLINIC = {
    "type": "ClinicPlanned",
    "project": "clinic",
    "name": "Clinic",
    "country": "UZ",
    "region": "UZ-SA",
    "beds": 800,
    "partners": ["moh-uz"],
    "financing": "ppp",
    "occurred_on": "2025",
}


def milestones(*names: str) -> list[dict[str, str]]:
    """Distinct facts (one month apart), so none is mistaken for a repeat of another."""
    return [
        {
            "type": "ProjectMilestoneReached",
            "project": "clinic",
            "milestone": name,
            "occurred_on": f"2026-{month:02d}",
        }
        for month, name in enumerate(names, 1)
    ]


def test_an_unknown_reference_suggests_the_closest_ids_and_aliases(ledger: Ledger) -> None:
    ledger.record(facts(ORG, PERSON), recorded_by="clerk")
    meeting = {
        "type": "MeetingHeld",
        "meeting": "m1",
        "countries": ["JP", "UZ"],
        "participants": ["takashi-hatori"],
        "occurred_on": "2025",
    }
    with pytest.raises(UnknownReference) as refused:
        ledger.record(facts(meeting), recorded_by="clerk")
    assert "participants[0]: unknown person or organization 'takashi-hatori'" in str(refused.value)
    assert "did you mean 'hatori-takashi' (Hatori Takashi; alias Takashi Hatori)" in str(
        refused.value
    )


def test_a_reference_may_name_what_the_same_batch_registered(ledger: Ledger) -> None:
    assert ledger.record(facts(ORG, GRANT), recorded_by="clerk").new == 2


def test_a_grant_is_signed_once(ledger: Ledger) -> None:
    ledger.record(facts(ORG, GRANT), recorded_by="clerk")
    with pytest.raises(GrantAlreadySigned, match="grant 'g1' is already signed"):
        ledger.record(facts(GRANT | {"purpose": "Signed again"}), recorded_by="clerk")


def test_an_id_is_registered_once(ledger: Ledger) -> None:
    ledger.record(facts(ORG), recorded_by="clerk")
    with pytest.raises(AlreadyExists, match="org 'moh-uz' is already registered"):
        ledger.record(facts(ORG | {"name": "Another ministry"}), recorded_by="clerk")


def test_equipment_is_funded_only_on_a_signed_grant(ledger: Ledger) -> None:
    ledger.record(facts(ORG), recorded_by="clerk")
    with pytest.raises(UnknownReference, match="grant: unknown grant 'g1'"):
        ledger.record(facts(FUNDED), recorded_by="clerk")
    ledger.record(facts(GRANT, FUNDED), recorded_by="clerk")
    assert ledger.head() == 3


def test_a_retracted_signing_funds_nothing_more(ledger: Ledger) -> None:
    ledger.record(facts(ORG, GRANT | {"key": "grant-1"}), recorded_by="clerk")
    ledger.record(
        facts({"type": "EventRetracted", "target": "grant-1", "reason": "duplicate"}),
        recorded_by="auditor",
    )
    with pytest.raises(GrantNotSigned, match="was retracted"):
        ledger.record(facts(FUNDED), recorded_by="clerk")


@pytest.mark.parametrize(
    ("path", "refused"),
    [
        (["construction-started", "completed", "opened"], None),
        (["suspended", "construction-started", "opened"], None),
        (["opened"], "opened"),
        (["cancelled", "construction-started"], "construction-started"),
        (["construction-started", "construction-started"], "construction-started"),
    ],
)
def test_milestones_follow_the_life_of_a_project(
    ledger: Ledger, path: list[str], refused: str | None
) -> None:
    ledger.record(facts(ORG, CLINIC), recorded_by="clerk")
    if refused is None:
        ledger.record(facts(*milestones(*path)), recorded_by="clerk")
        assert ledger.head() == 2 + len(path)
        return
    with pytest.raises(MilestoneOutOfOrder, match=f"cannot become {refused}"):
        ledger.record(facts(*milestones(*path)), recorded_by="clerk")
    assert ledger.head() == 2


def test_a_correction_is_appended_and_the_original_stays(ledger: Ledger) -> None:
    ledger.record(facts(ORG, GRANT | {"key": "grant-1"}), recorded_by="clerk")
    original = ledger.get_event("grant-1")
    ledger.record(
        facts(
            {
                "type": "EventCorrected",
                "target": "grant-1",
                "changes": {"amount": {"value": "12000000", "currency": "JPY"}},
                "reason": "amount misread",
            }
        ),
        recorded_by="auditor",
    )
    assert ledger.get_event("grant-1") == original
    assert ledger.head() == 3


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"colour": "red"}, "has no field 'colour'"),
        ({"grant": "g2"}, "has no field 'grant' that can be corrected"),
        ({"key": "other"}, "has no field 'key'"),
        ({"amount": {"value": 1.5, "currency": "JPY"}}, "would be invalid: changes.amount.value"),
        ({"recipient": "nobody"}, "recipient: unknown"),
    ],
)
def test_a_correction_must_make_a_valid_event(
    ledger: Ledger, changes: dict[str, object], message: str
) -> None:
    ledger.record(facts(ORG, GRANT | {"key": "grant-1"}), recorded_by="clerk")
    with pytest.raises((InvalidCorrection, UnknownReference), match=message):
        ledger.record(
            facts(
                {"type": "EventCorrected", "target": "grant-1", "changes": changes, "reason": "r"}
            ),
            recorded_by="auditor",
        )
    assert ledger.head() == 2


def test_only_existing_events_can_be_corrected_or_retracted(ledger: Ledger) -> None:
    with pytest.raises(UnknownEvent, match="no event with key 'missing'"):
        ledger.record(
            facts({"type": "EventRetracted", "target": "missing", "reason": "r"}),
            recorded_by="auditor",
        )


def test_once_retracted_stays_retracted(ledger: Ledger) -> None:
    ledger.record(facts(ORG, GRANT | {"key": "grant-1"}), recorded_by="clerk")
    ledger.record(
        facts({"type": "EventRetracted", "target": "grant-1", "reason": "dup"}),
        recorded_by="auditor",
    )
    for attempt in (
        {"type": "EventRetracted", "target": "grant-1", "reason": "again"},
        {
            "type": "EventCorrected",
            "target": "grant-1",
            "changes": {"purpose": "p"},
            "reason": "fix",
        },
    ):
        with pytest.raises(AlreadyRetracted):
            ledger.record(facts(attempt), recorded_by="auditor")


def test_a_correction_cannot_itself_be_corrected(ledger: Ledger) -> None:
    ledger.record(facts(ORG, GRANT | {"key": "grant-1"}), recorded_by="clerk")
    ledger.record(
        facts({"type": "EventRetracted", "key": "r1", "target": "grant-1", "reason": "dup"}),
        recorded_by="auditor",
    )
    with pytest.raises(InvalidCorrection, match="retract the original"):
        ledger.record(
            facts({"type": "EventRetracted", "target": "r1", "reason": "oops"}),
            recorded_by="auditor",
        )


def test_successive_corrections_build_on_each_other(ledger: Ledger) -> None:
    ledger.record(facts(ORG, GRANT | {"key": "grant-1"}), recorded_by="clerk")
    first = {
        "type": "EventCorrected",
        "target": "grant-1",
        "reason": "r",
        "changes": {"amount": {"value": "5", "currency": "USD"}},
    }
    second = {
        "type": "EventCorrected",
        "target": "grant-1",
        "reason": "r",
        "changes": {"purpose": "Equip two hospitals"},
    }
    assert ledger.record(facts(first, second), recorded_by="auditor").new == 2


@pytest.mark.parametrize("bulk", [True, False])
def test_a_refused_correction_leaves_its_record_as_it_was_for_the_lines_after_it(
    ledger: Ledger, bulk: bool
) -> None:
    """Line 4 corrects the grant below what line 3 disbursed and is refused; line 5 disburses
    within the grant as signed: only line 4 is told (a correction changes its record before
    the whole record's rules are checked; refused, the change is undone)."""
    from diplo.events.errors import InvalidEvent, Problems

    money = {"value": "6000000", "currency": "JPY"}
    when = {"occurred_on": "2025-05"}
    lines = facts(
        ORG,
        {**GRANT, "key": "k-g1"},
        {"type": "FundsDisbursed", "disbursement": "d1", "of": "g1", "amount": money, **when},
        {
            "type": "EventCorrected",
            "target": "k-g1",
            "changes": {"amount": {"value": "5000000", "currency": "JPY"}},
            "reason": "misread",
        },
        {
            "type": "FundsDisbursed",
            "disbursement": "d2",
            "of": "g1",
            "amount": {"value": "3000000", "currency": "JPY"},
            **when,
        },
    )
    problems = Problems(["test"])
    with pytest.raises(InvalidEvent) as refused:
        ledger.record(lines, recorded_by="clerk", problems=problems, bulk=bulk)
    told = str(refused.value)
    assert "test:4: " in told and "test:5" not in told, told
    assert ledger.head() == 0
