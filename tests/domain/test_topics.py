"""Stored topics name no module: moving code never orphans a row."""

from __future__ import annotations

import sqlite3

from diplo.domain.app.ledger import Ledger
from diplo.domain.model.grant import Grant
from diplo.domain.store.topics import stable_topic, topics_named, topics_of
from tests.conftest import GRANT, ORG, facts


def test_new_events_are_stored_under_topics_without_module_paths(store: str) -> None:
    from diplo.domain.store.opening import open_ledger

    ledger: Ledger = open_ledger(store)
    ledger.record(facts(ORG, GRANT), recorded_by="clerk")
    ledger.close()
    topics = [row[0] for row in sqlite3.connect(store).execute("SELECT topic FROM stored_events")]
    assert topics == [
        "diplo:Organization.OrganizationRegistered",
        "diplo:Grant.GrantAgreementSigned",
    ]


def test_an_event_class_answers_to_its_stable_and_its_legacy_topic() -> None:
    assert stable_topic(Grant.GrantAgreementSigned) == "diplo:Grant.GrantAgreementSigned"
    assert topics_of(Grant.GrantAgreementSigned) == [
        "diplo:Grant.GrantAgreementSigned",
        "domain.grant:Grant.GrantAgreementSigned",
    ]


def test_readers_select_amendments_by_the_topics_of_entitys_classes() -> None:
    from diplo.domain.model.entity import Entity
    from diplo.domain.store.topics import AMENDMENTS

    classes = (Entity.EventCorrected, Entity.EventRetracted, Entity.EventCorroborated)
    assert [topics_named(name) for name in AMENDMENTS] == [topics_of(cls) for cls in classes]
