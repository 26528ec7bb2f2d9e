"""Turning `diplo record TYPE --field value …` into an event body, guided by the JSON Schema.

Lists repeat (`--aliases A --aliases B`), nested values are JSON (`--amount '{"value": …}'`),
integers are numbers, everything else is text.
"""

from __future__ import annotations

import json
import re
from typing import Any

from diplo.events.errors import InvalidEvent, Problem


def body_from_options(type_name: str, args: list[str], schema: dict[str, Any]) -> dict[str, Any]:
    properties = schema.get("properties", {})
    body: dict[str, Any] = {"type": type_name}
    for name, raw in _pairs(args):
        if name not in properties:
            raise InvalidEvent(
                [
                    Problem(
                        f"{type_name} has no field {name!r}; fields: "
                        f"{', '.join(p for p in properties if p != 'type')}",
                        name,
                    )
                ]
            )
        kind, item_kind = _kind(properties[name], schema)
        if kind == "array":
            body.setdefault(name, []).append(_value(name, raw, item_kind))
        else:
            body[name] = _value(name, raw, kind)
    return body


def _pairs(args: list[str]) -> list[tuple[str, str]]:
    pairs, index = [], 0
    while index < len(args):
        token = args[index]
        if not token.startswith("--"):
            raise InvalidEvent([Problem(f"unexpected argument {token!r}; expected --FIELD VALUE")])
        name, eq, value = token[2:].partition("=")
        if not eq:
            if index + 1 >= len(args):
                raise InvalidEvent([Problem("option needs a value", name.replace("-", "_"))])
            index += 1
            value = args[index]
        pairs.append((name.replace("-", "_"), value))
        index += 1
    return pairs


def _kind(prop: dict[str, Any], schema: dict[str, Any]) -> tuple[str, str]:
    """The JSON type of a property (nullable unions unwrapped) and, for arrays, of its items."""
    chosen = _resolve(prop, schema)
    kind = chosen.get("type", "string")
    if kind == "array":
        return "array", _resolve(chosen.get("items", {}), schema).get("type", "string")
    return kind, ""


def _resolve(prop: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """Unwrap ``anyOf [X, null]`` and follow ``$ref`` into ``$defs`` (enums are strings)."""
    options = [p for p in prop.get("anyOf", [prop]) if p.get("type") != "null"]
    chosen = options[0] if options else prop
    if "$ref" in chosen:
        return schema.get("$defs", {}).get(chosen["$ref"].rsplit("/", 1)[-1], {"type": "object"})
    return chosen


def _value(name: str, raw: str, kind: str) -> Any:
    if kind == "integer":
        if not re.fullmatch(r"-?[0-9]+", raw):  # int() would also read "١٠" or "１０"
            raise InvalidEvent(
                [Problem(f"expected a whole number in ASCII digits 0-9, got {raw!r}", name)]
            )
        return int(raw)
    if kind == "object":
        try:
            return json.loads(raw)
        except ValueError as error:
            raise InvalidEvent([Problem(f"expected a JSON object: {error}", name)]) from None
    return raw
