"""A refused reference suggests what was meant: from ids, names, aliases and case, and says
what kind of record the field takes when the id names another kind."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import GRANT, ORG, PERSON

JICA = {
    "type": "OrganizationRegistered",
    "org": "jica",
    "name": "Japan International Cooperation Agency",
    "country": "JP",
    "kind": "agency",
    "aliases": ["JICA"],
}


@pytest.fixture
def registered(diplo: Any, store: str) -> str:
    for body in (ORG, PERSON, JICA):
        assert (
            diplo("record", body["type"], "--store", store, "--json", json.dumps(body)).exit_code
            == 0
        )
    return store


def _record_grant(diplo: Any, store: str, **fields: Any) -> Any:
    return diplo(
        "record", "GrantAgreementSigned", "--store", store, "--json", json.dumps(GRANT | fields)
    )


@pytest.mark.parametrize("donor", ["JICA", "Japan International Cooperation Agency", "jika"])
def test_an_alias_a_name_or_a_misspelling_suggests_the_id(
    diplo: Any, registered: str, donor: str
) -> None:
    result = _record_grant(diplo, registered, donor=donor)
    assert result.exit_code == 1
    assert "did you mean 'jica' (Japan International Cooperation Agency; alias JICA)?" in (
        result.stderr
    )


def test_a_country_code_in_lower_case_suggests_upper_case(diplo: Any, registered: str) -> None:
    result = _record_grant(diplo, registered, donor="jp")
    assert result.exit_code == 1
    assert "donor: unknown organization 'jp'; country codes are upper case: did you mean 'JP'?" in (
        result.stderr
    )


def test_an_id_of_another_kind_is_named_as_such(diplo: Any, registered: str) -> None:
    result = _record_grant(diplo, registered, donor="hatori-takashi")
    assert result.exit_code == 1
    assert (
        "donor: expected a country code or an organization id; 'hatori-takashi' is a person"
        in result.stderr
    )


def test_a_name_where_a_person_id_belongs_suggests_the_person(
    diplo: Any, registered: str, tmp_path: Path
) -> None:
    meeting = {
        "type": "MeetingHeld",
        "meeting": "m1",
        "occurred_on": "2025",
        "countries": ["JP", "UZ"],
        "participants": ["Takashi Hatori"],
    }
    path = tmp_path / "events.jsonl"
    path.write_text(json.dumps(GRANT | {"donor": "JICA"}) + "\n" + json.dumps(meeting) + "\n")
    result = diplo("import", str(path), "--store", registered)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"error: {path}:1: donor: ")
    assert lines[0].endswith(
        "did you mean 'jica' (Japan International Cooperation Agency; alias JICA)?"
    )
    assert lines[1].startswith(f"error: {path}:2: participants[0]: ")
    assert lines[1].endswith(
        "did you mean 'hatori-takashi' (Hatori Takashi; alias Takashi Hatori)?"
    )


def test_an_organisation_where_a_person_belongs_is_named_as_such(
    diplo: Any, registered: str
) -> None:
    visit = ["--visit", "v1", "--visitor", "jica", "--host", "UZ", "--kind", "official"]
    result = diplo("record", "VisitMade", "--store", registered, *visit, "--occurred-on", "2025")
    assert result.exit_code == 1
    assert "visitor: expected a person id; 'jica' is an organization" in result.stderr
