"""The founding example: the UzA article, encoded as events, recorded once however often read."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from diplo.domain.app.ledger import Ledger
from diplo.events.jsonl import read_jsonl
from tests.conftest import SEED

# a copy of ../shared/seed/ (tests/fixtures/shared/SOURCE.md): the suite needs nothing beside it
ARTICLE = Path(__file__).parent / "fixtures/shared/seed/uza-japan-uzbekistan-health-grants.txt"


def seed_facts() -> list[tuple[str, Any]]:
    with SEED.open("rb") as stream:
        return [(f"seed:{n}", fact) for n, fact in read_jsonl(stream, "seed")]


def test_the_seed_encodes_what_the_article_reports() -> None:
    counts = Counter(fact.type for _, fact in seed_facts())
    assert counts == {
        "OrganizationRegistered": 7,
        "PersonRegistered": 2,
        "PersonAppointed": 2,
        "ProgrammeRegistered": 1,
        "MeetingHeld": 1,
        "GrantAgreementSigned": 3,
        "EquipmentFunded": 3,
        "EquipmentDelivered": 1,
        "ClinicPlanned": 1,
        "CooperationEstablished": 1,
        "CommitmentStated": 1,
    }
    by_type = {fact.type: fact for _, fact in seed_facts()}
    clinic = by_type["ClinicPlanned"]
    assert (clinic.beds, clinic.region, clinic.financing.value) == (800, "UZ-SA", "ppp")
    assert "sojitz" in clinic.partners
    programme = by_type["ProgrammeRegistered"]
    assert "Free assistance to small-scale social projects" in programme.aliases
    people = [fact for _, fact in seed_facts() if fact.type == "PersonRegistered"]
    assert any("Takashi Hatori" in p.aliases for p in people)


def test_every_seed_event_cites_the_article() -> None:
    for _, fact in seed_facts():
        assert [s.publisher for s in fact.sources] == ["UzA (National News Agency of Uzbekistan)"]
        assert fact.sources[0].author == "Mokhigul Qosimova"


def test_the_article_text_really_appears_twice_in_the_scrape() -> None:
    text = ARTICLE.read_text()
    assert text.count("grant agreements were signed for three more projects") == 2


def test_importing_both_copies_of_the_article_records_one_set_of_events(ledger: Ledger) -> None:
    both_copies = seed_facts() + seed_facts()
    outcome = ledger.record(both_copies, recorded_by="clerk")
    assert (outcome.new, outcome.skipped) == (23, 23)
    again = ledger.record(seed_facts(), recorded_by="another clerk")
    assert (again.new, again.skipped) == (0, 23)
    assert ledger.head() == 23


def test_the_seed_file_is_valid_json_lines() -> None:
    lines = SEED.read_text().splitlines()
    assert all(json.loads(line)["key"].startswith("uza-676233/") for line in lines)
