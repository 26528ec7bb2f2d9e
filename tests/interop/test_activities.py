"""IATI activities gathered from current events: each record's events, in order, read back
from the temporary file they wait in."""

from __future__ import annotations

from typing import Any

from diplo.events.declaration import Meta, declarations
from diplo.projections.interop.activities import gather
from diplo.projections.interop.current import Current


def event(position: int, type_: str, **fields: Any) -> Current:
    data = {"type": type_, "key": f"k{position}", **fields}
    meta = Meta(f"k{position}", position, f"2026-01-01T00:00:{position:02d}+00:00")
    return Current(data, meta, declarations()[type_], ("JP", "UZ"))


def shape(events: list[Current]) -> list[tuple[str, str, list[int]]]:
    """Each activity gathered: its kind, its record's id, and the positions of its events."""
    gathered = gather(events)
    try:
        return [(a.kind, a.id, [e.meta.position for e in a.events]) for a in gathered.activities]
    finally:
        gathered.close()


def test_activities_come_in_the_order_their_records_were_created_each_with_its_events() -> None:
    log = [
        event(1, "OrganizationRegistered", org="jica", name="JICA"),
        event(2, "GrantAgreementSigned", grant="g1"),
        event(3, "LoanAgreementSigned", loan="l1"),
        event(4, "FundsDisbursed", of="l1"),
        event(5, "EquipmentFunded", grant="g1"),
        event(6, "ClinicPlanned", project="p1"),
        event(7, "FundsDisbursed", of="g1"),
        event(8, "ProjectMilestoneReached", project="p1"),
        event(9, "FundsDisbursed", of="nothing-signed"),
    ]
    assert shape(log) == [
        ("grant", "g1", [2, 5, 7]),
        ("loan", "l1", [3, 4]),
        ("project", "p1", [6, 8]),
    ]
    gathered = gather(log)
    assert gathered.parties == {"jica": log[0].data}
    assert gathered.generated == log[-1].meta.recorded_at
    first, again = list(gathered.activities), list(gathered.activities)
    assert [a.opening.data for a in first] == [a.opening.data for a in again]
    gathered.close()


def test_events_read_back_are_the_events_gathered() -> None:
    signed = event(1, "GrantAgreementSigned", grant="g1", value={"amount": 1.5, "note": None})
    gathered = gather([signed])
    (activity,) = list(gathered.activities)
    gathered.close()
    assert activity.opening == signed


def test_a_record_opened_again_starts_over_in_its_first_place() -> None:
    """Rules forbid signing one grant twice; a ledger written by other means may still hold
    it. The later signing's activity keeps the place of the first, as a dict entry replaced."""
    log = [
        event(1, "GrantAgreementSigned", grant="g1"),
        event(2, "FundsDisbursed", of="g1"),
        event(3, "GrantAgreementSigned", grant="g2"),
        event(4, "GrantAgreementSigned", grant="g1"),
        event(5, "FundsDisbursed", of="g1"),
    ]
    assert shape(log) == [("grant", "g1", [4, 5]), ("grant", "g2", [3])]
