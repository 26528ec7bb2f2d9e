"""What the declarations say that a reader needs, kept as data: each type's name, schema
version and JSON Schema, without importing pydantic or building a single model.

Read commands (``log``, ``show``, ``report``, ``record TYPE --help``) start in a fraction of the
time that building the 29 models takes. ``data/declared.json`` and ``data/versions.json`` are
generated from the declarations (``python -m diplo.cli.generated``) and a test regenerates
them and compares, so they are never stale: what they say is what ``declarations()`` says.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import orjson

FILE = Path(__file__).with_name("data") / "declared.json"
# Each type's schema version alone, in catalog order: every stored event read asks for it,
# and parsing the schemas too (~2 ms) would be most of a quick read's own work.
VERSIONS = FILE.with_name("versions.json")


@cache
def declared() -> dict[str, Any]:
    """The generated file, read once."""
    return dict(orjson.loads(FILE.read_bytes()))


@cache
def versions() -> dict[str, int]:
    """Every type's current schema version, in catalog order (the generated file, read once)."""
    return dict(orjson.loads(VERSIONS.read_bytes()))


def type_names() -> list[str]:
    """Every type, in catalog order."""
    return list(versions())


def schema_version(type_name: str) -> int:
    """The current schema version of ``type_name`` (KeyError if it is not a type)."""
    return versions()[type_name]


def json_schema(type_name: str) -> dict[str, Any] | None:
    """The JSON Schema of ``type_name``'s model (None if it is not a type)."""
    entry = declared()["types"].get(type_name)
    return None if entry is None else dict(entry["schema"])


def in_model_order(data: dict[str, Any]) -> dict[str, Any]:
    """Stored fact data (keys sorted) in the order ``catalog.canonical_dict`` gives it: each
    object's fields as its model declares them (nested ones too), then the fields outside
    the content. What is shown field by field (``diplo show``) reads alike either way."""
    from diplo.events.canonical import NON_CONTENT

    schema = json_schema(data["type"]) or {}
    defs = schema.get("$defs", {})
    ordered = _ordered(data, schema, defs)
    content = {name: value for name, value in ordered.items() if name not in NON_CONTENT}
    return content | {name: value for name, value in ordered.items() if name in NON_CONTENT}


def _ordered(value: Any, schema: dict[str, Any], defs: dict[str, Any]) -> Any:
    schema = _resolved(value, schema, defs)
    if isinstance(value, dict) and "properties" in schema:
        fields = schema["properties"]
        names = [name for name in fields if name in value]
        names += [name for name in value if name not in fields]
        return {name: _ordered(value[name], fields.get(name, {}), defs) for name in names}
    if isinstance(value, list) and isinstance(schema.get("items"), dict):
        return [_ordered(item, schema["items"], defs) for item in value]
    return value


def _resolved(value: Any, schema: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    """The schema that describes ``value``: references followed, and of alternatives
    (``anyOf``, ``oneOf``) the first that describes an object or list as ``value`` is."""
    while "$ref" in schema:
        schema = defs[schema["$ref"].rsplit("/", 1)[-1]]
    for option in schema.get("anyOf") or schema.get("oneOf") or ():
        option = _resolved(value, option, defs)
        if (isinstance(value, dict) and "properties" in option) or (
            isinstance(value, list) and option.get("type") == "array"
        ):
            return option
    return schema
