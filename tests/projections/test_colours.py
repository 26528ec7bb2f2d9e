"""Every chart colours an event type the same way, and no two declared types alike."""

from diplo.events.declaration import declarations
from diplo.projections.svg import colour


def test_no_two_declared_event_types_share_a_colour() -> None:
    names = list(declarations())
    colours = {name: colour(name) for name in names}
    shared = {c: [n for n in names if colours[n] == c] for c in colours.values()}
    assert {c: ns for c, ns in shared.items() if len(ns) > 1} == {}


def test_a_type_keeps_its_colour_between_calls() -> None:
    assert colour("LoanAgreementSigned") == colour("LoanAgreementSigned")
    assert colour("MeetingHeld") == "#4e79a7"
