"""`diplo record TYPE --help` teaches: each field's meaning and an example, and value shapes."""

from __future__ import annotations

import json
import shlex
from typing import Any

import pytest

from diplo.events.declaration import declarations
from tests.conftest import ORG


@pytest.mark.parametrize("name", ["GrantAgreementSigned", "MeetingHeld", "EventCorrected"])
def test_help_shows_every_field_with_its_description_and_an_example(diplo: Any, name: str) -> None:
    result = diplo("record", name, "--help")
    assert result.exit_code == 0
    flat = " ".join(result.output.split())  # descriptions are wrapped
    schema = declarations()[name].model.model_json_schema()
    for field, prop in schema["properties"].items():
        if field == "type":
            continue
        option = f"--{field.replace('_', '-')}"
        assert " ".join(prop["description"].split()) in flat
        example = prop["examples"][0]
        shown = example if isinstance(example, str) else json.dumps(example, ensure_ascii=False)
        assert f"e.g. {option} {shlex.quote(shown)}" in result.output


def test_help_shows_the_shape_of_money_dates_sources_and_lists(diplo: Any) -> None:
    output = diplo("record", "GrantAgreementSigned", "--help").output
    assert '{"value": "10000000", "currency": "JPY"}' in output
    assert "EDTF: 2025, 2025-03 or 2025-03-15" in output
    assert '"publisher": "UzA"' in output
    assert "repeat the option" in output and "one JSON list" in output
    assert "--signatories" in output and "optional, a list" in output


def test_a_list_may_be_given_as_one_json_list_or_as_repeated_options(
    diplo: Any, store: str
) -> None:
    common = ["record", "OrganizationRegistered", "--store", store, "--name", "JICA"]
    common += ["--country", "JP", "--kind", "agency"]
    listed = diplo(*common, "--org", "a", "--aliases", '["JICA", "J.I.C.A."]')
    repeated = diplo(*common, "--org", "b", "--aliases", "JICA", "--aliases", "J.I.C.A.")
    assert listed.exit_code == repeated.exit_code == 0, listed.output + repeated.output
    exported = [json.loads(line) for line in diplo("export", "--store", store).output.splitlines()]
    assert [e["aliases"] for e in exported] == [["JICA", "J.I.C.A."]] * 2


def test_sources_given_as_a_json_list_are_recorded(diplo: Any, store: str) -> None:
    source = {"publisher": "UzA", "title": "Japan funds equipment"}
    body = ["--org", "moh-uz", "--name", "Ministry", "--country", "UZ", "--kind", "ministry"]
    result = diplo(
        "record",
        "OrganizationRegistered",
        "--store",
        store,
        *body,
        "--sources",
        json.dumps([source]),
    )
    assert result.exit_code == 0, result.output
    (event,) = [json.loads(line) for line in diplo("export", "--store", store).output.splitlines()]
    assert event["sources"] == [source]
    assert ORG["org"] == event["org"]
