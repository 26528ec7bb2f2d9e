"""Recording: batches are all or nothing, keys make recording idempotent."""

from __future__ import annotations

import pytest

from diplo.domain.app.ledger import Ledger
from diplo.domain.errors import KeyConflict, UnknownReference
from diplo.domain.model.ids import stream_id
from tests.conftest import GRANT, ORG, facts


def test_a_batch_is_recorded_in_order_with_gap_free_positions(ledger: Ledger) -> None:
    outcome = ledger.record(facts(ORG, GRANT), recorded_by="clerk")
    assert (outcome.new, outcome.skipped, list(outcome.positions)) == (2, 0, [1, 2])
    assert [s.fact.type for s in ledger.read()] == [
        "OrganizationRegistered",
        "GrantAgreementSigned",
    ]


def test_recording_the_same_facts_again_records_nothing_new(ledger: Ledger) -> None:
    ledger.record(facts(ORG, GRANT), recorded_by="clerk")
    again = ledger.record(facts(ORG, GRANT), recorded_by="someone else")
    assert (again.new, again.skipped) == (0, 2)
    assert ledger.head() == 2


def test_the_same_fact_twice_in_one_batch_is_recorded_once(ledger: Ledger) -> None:
    outcome = ledger.record(facts(ORG, ORG, GRANT, GRANT), recorded_by="clerk")
    assert (outcome.new, outcome.skipped) == (2, 2)


def test_the_same_key_with_other_content_is_a_conflict(ledger: Ledger) -> None:
    ledger.record(facts(ORG | {"key": "k1"}), recorded_by="clerk")
    with pytest.raises(KeyConflict, match="test:1: key: 'k1' is already recorded with different"):
        ledger.record(facts(ORG | {"key": "k1", "name": "Other name"}), recorded_by="clerk")
    assert ledger.head() == 1


def test_a_refused_line_leaves_the_whole_batch_unrecorded(ledger: Ledger) -> None:
    bad = GRANT | {"grant": "g2", "recipient": "nobody"}
    with pytest.raises(UnknownReference, match="test:3: recipient: unknown"):
        ledger.record(facts(ORG, GRANT, bad), recorded_by="clerk")
    assert ledger.head() == 0


def test_a_dry_run_checks_everything_and_writes_nothing(ledger: Ledger) -> None:
    outcome = ledger.record(facts(ORG, GRANT), recorded_by="clerk", dry_run=True)
    assert (outcome.new, ledger.head()) == (2, 0)


def test_key_and_recorder_are_stored_with_the_fact(ledger: Ledger) -> None:
    ledger.record(facts(ORG), recorded_by="clerk")
    (stored,) = ledger.read()
    assert stored.fact.recorded_by == "clerk"
    assert stored.key.startswith("sha256:")
    assert ledger.get_event(stored.key) == stored


def test_a_recorder_named_in_the_input_is_kept_as_who_reported_it(ledger: Ledger) -> None:
    ledger.record(facts(ORG | {"recorded_by": "embassy desk"}), recorded_by="clerk")
    stored = next(ledger.read()).fact
    assert (stored.recorded_by, stored.reported_by) == ("clerk", "embassy desk")


def test_the_same_slug_always_names_the_same_stream(ledger: Ledger) -> None:
    ledger.record(facts(ORG), recorded_by="clerk")
    assert next(ledger.read()).stream == stream_id("org", "moh-uz")
    assert stream_id("org", "moh-uz") != stream_id("grant", "moh-uz")


def test_the_log_keeps_the_order_of_the_input_across_streams(ledger: Ledger) -> None:
    """A person appointed to an org registered after them: the appointment must follow both."""
    person = {"type": "PersonRegistered", "person": "p1", "name": "P One"}
    appointed = {"type": "PersonAppointed", "person": "p1", "org": "moh-uz", "title": "Minister"}
    ledger.record(facts(person, ORG, appointed, GRANT), recorded_by="clerk")
    assert [s.fact.type for s in ledger.read()] == [
        "PersonRegistered",
        "OrganizationRegistered",
        "PersonAppointed",
        "GrantAgreementSigned",
    ]
