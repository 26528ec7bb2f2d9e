"""Every field of every declared type says what it means and shows a value (`diplo schema`)."""

from __future__ import annotations

from typing import Any

import pytest

from diplo.events.catalog import parse_fact
from diplo.events.declaration import declarations

TYPES = sorted(declarations())


def _schema(name: str) -> dict[str, Any]:
    return declarations()[name].model.model_json_schema()


def _fields(schema: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Every field of the type and of the objects it nests (sources, money, items, terms)."""
    found = [(name, prop) for name, prop in schema["properties"].items() if name != "type"]
    for model, definition in schema.get("$defs", {}).items():
        for name, prop in definition.get("properties", {}).items():
            found.append((f"{model}.{name}", prop))
    return found


@pytest.mark.parametrize("name", TYPES)
def test_every_field_has_a_description_and_an_example(name: str) -> None:
    undocumented = [
        field
        for field, prop in _fields(_schema(name))
        if not prop.get("description") or not prop.get("examples")
    ]
    assert undocumented == []


@pytest.mark.parametrize("name", TYPES)
def test_the_examples_of_a_type_make_a_valid_event(name: str) -> None:
    """An example is a value a clerk may copy: all of a type's together are one valid event."""
    schema = _schema(name)
    body = {"type": name} | {
        field: prop["examples"][0]
        for field, prop in schema["properties"].items()
        if field != "type"
    }
    assert parse_fact(body).type == name
