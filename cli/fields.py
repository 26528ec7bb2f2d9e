"""Turning `diplo record TYPE --field value …` into an event body, guided by the JSON Schema.

Lists repeat (`--aliases A --aliases B`) or come as one JSON list (`--aliases '["A", "B"]'`),
nested values are JSON (`--amount '{"value": …}'`), integers are numbers, everything else is
text. ``field_help`` teaches the same from the declarations: what each field means, an example,
and the shape of money, dates, sources and lists.
"""

from __future__ import annotations

import json
import re
import shlex
import textwrap
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
        if kind == "array" and raw.lstrip().startswith("["):
            body.setdefault(name, []).extend(_json_list(name, raw))
        elif kind == "array":
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


def _json_list(name: str, raw: str) -> list[Any]:
    try:
        items = json.loads(raw)
    except ValueError as error:
        raise InvalidEvent([Problem(f"expected a JSON list: {error}", name)]) from None
    if not isinstance(items, list):
        raise InvalidEvent([Problem("expected a JSON list", name)])
    return items


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


VALUES_HELP = """\
Values:
  money    a JSON object: '{"value": "10000000", "currency": "JPY"}'; value is a decimal
           string (never a JSON number), currency an ISO 4217 code; "qualifier": "up-to"
           for a ceiling, "about" for an approximation
  dates    EDTF: 2025, 2025-03 or 2025-03-15; add ? (uncertain), ~ (approximate) or % (both)
  sources  one JSON object per --sources: '{"publisher": "UzA", "title": "…", "url":
           "https://…", "published_on": "2025-03-16"}' (publisher and title required)
  lists    repeat the option (--aliases JICA --aliases "J.I.C.A.") or give one JSON list
           (--aliases '["JICA", "J.I.C.A."]')
  ids      lowercase slugs (moh-uz); countries ISO 3166-1 upper case (JP); a donor, party
           or speaker is a country code or a registered organisation id"""


# The fields every event has, shown after a type's own.
ENVELOPE = ("occurred_on", "sources", "note", "key", "reported_by", "recorded_by")


def field_help(schema: dict[str, Any]) -> list[str]:
    """The fields of a type as `record --help` shows them: need, meaning, an example."""
    lines = []
    required = set(schema.get("required", []))
    properties = schema.get("properties", {})
    own = [name for name in properties if name not in ENVELOPE and name != "type"]
    for name in own + [name for name in ENVELOPE if name in properties]:
        prop = properties[name]
        option = f"--{name.replace('_', '-')}"
        kind, _ = _kind(prop, schema)
        need = "required" if name in required else "optional"
        need += ", a list" if kind == "array" else ""
        lines.append(f"  {option:<16} {need}")
        for text in textwrap.wrap(prop.get("description", ""), 60):
            lines.append(f"  {'':<16} {text}")
        if prop.get("examples"):
            lines.append(f"  {'':<16} e.g. {option} {_example(prop['examples'][0], kind)}")
    return lines


def _example(value: Any, kind: str) -> str:
    if kind == "array" and isinstance(value, list):
        return shlex.quote(json.dumps(value, ensure_ascii=False))
    if isinstance(value, str):
        return shlex.quote(value)
    return shlex.quote(json.dumps(value, ensure_ascii=False))
