"""Refusals speak the ledger's language: the shape expected, with an example; never pydantic's."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from diplo.events.catalog import parse_fact
from diplo.events.declaration import declarations
from diplo.events.errors import InvalidEvent
from tests.conftest import GRANT, ORG

PYDANTIC_WORDS = (
    "Input should",
    "instance of",
    "type=",
    "should have",
    "Value error",
    "validation error",
    "Extra inputs",
    "Field required",
    "pydantic",
    "NoneType",
)
WRONG = [5, 1.5, -1, 10**30, "x", "", "9" * 70, [], [5], ["x"], {}, {"a": 1}, None, True]


def _example(name: str) -> dict[str, Any]:
    schema = declarations()[name].model.model_json_schema()
    return {"type": name} | {
        field: prop["examples"][0]
        for field, prop in schema["properties"].items()
        if field != "type"
    }


def _bodies(name: str) -> list[dict[str, Any]]:
    """The example event of a type with one field (or one field of a nested object) wrong."""
    base = _example(name)
    bodies = []
    for field, value in base.items():
        if field == "type":
            continue
        bodies += [base | {field: wrong} for wrong in WRONG]
        nested = value[0] if isinstance(value, list) and value else value
        if isinstance(nested, dict) and field != "changes":
            for inner in nested:
                for wrong in WRONG:
                    changed = nested | {inner: wrong}
                    bodies.append(base | {field: [changed] if isinstance(value, list) else changed})
    return bodies


def _refusal(body: dict[str, Any]) -> str:
    try:
        parse_fact(body)
    except InvalidEvent as error:
        return str(error)
    return ""


@pytest.mark.parametrize("name", sorted(declarations()))
def test_no_refusal_of_any_field_uses_pydantic_words(name: str) -> None:
    refusals = [_refusal(body) for body in _bodies(name)]
    assert any(refusals)
    leaked = [r for r in refusals if any(word in r for word in PYDANTIC_WORDS)]
    assert leaked == []


def test_a_wrong_shape_is_told_with_the_shape_expected_and_an_example() -> None:
    told = _refusal(GRANT | {"sources": {"url": "https://uza.uz"}})
    assert told.startswith('sources: expected a list of sources like [{"publisher": "UzA"')
    assert _refusal(GRANT | {"sources": ["UzA"]}).startswith(
        'sources[0]: expected a source like {"publisher": "UzA"'
    )
    assert _refusal(GRANT | {"amount": "1000 JPY"}).startswith(
        'amount: expected an amount like {"currency": "JPY", "value": "10000000"}, got text'
    )
    assert _refusal(ORG | {"aliases": "JICA"}) == (
        'aliases: expected a list like ["JICA"], got text "JICA"'
    )


def test_import_record_and_json_refusals_use_no_pydantic_words(
    diplo: Any, store: str, tmp_path: Path
) -> None:
    lines = [GRANT | {"sources": {"url": "x"}}, GRANT | {"amount": 5}, ORG | {"kind": 3}]
    path = tmp_path / "bad.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    runs = [
        diplo("import", str(path), "--store", store),
        diplo("import", str(path), "--store", store, "--dry-run"),
        diplo("record", "GrantAgreementSigned", "--store", store, "--json", json.dumps(lines[0])),
        diplo("record", "OrganizationRegistered", "--store", store, "--org", "x", "--kind", "3"),
        diplo("record", "GrantAgreementSigned", "--store", store, "--sources", '"UzA"'),
    ]
    for run in runs:
        assert run.exit_code == 1
        assert "error: " in run.stderr
        assert not any(word in run.stderr for word in PYDANTIC_WORDS), run.stderr
