"""Validation errors in the ledger's words: what shape was expected, with an example.

pydantic says "Input should be a valid dictionary or instance of Source"; a clerk needs
``sources[0]: expected a source like {"publisher": "UzA", "title": …}``. Each problem is told
from the field's own JSON Schema (its description, type and example), so the wording follows
the declarations and nothing of pydantic's vocabulary reaches the user.
"""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import BaseModel, ValidationError

from diplo.events.envelope import URL_PATTERN
from diplo.events.errors import Problem
from diplo.events.values import KEY_PATTERN, SLUG_PATTERN, json_kind

# What one object of each nested model is called.
NOUNS = {
    "Source": "a source",
    "Money": "an amount",
    "EquipmentItem": "an item",
    "Terms": "loan terms",
}
_PATTERN_HINTS = {
    SLUG_PATTERN: "expected a lowercase id like 'moh-uz' (letters a-z, digits, '-')",
    KEY_PATTERN: "expected a key of letters, digits and . _ : / -",
    URL_PATTERN: "expected an http:// or https:// address without spaces",
}


def problems_of(error: ValidationError, model: type[BaseModel] | None = None) -> list[Problem]:
    """One problem per field, in words a clerk can act on."""
    schema = _schema_of(model)
    problems = []
    for detail in error.errors(include_url=False):
        loc = detail["loc"]
        shape, example, kinds = _at(schema, loc)
        given = detail.get("input")
        refers = (given, kinds) if kinds and isinstance(given, str) else None
        field, message = _dotted(loc), _message(detail, shape, example)
        if not field and (named := _NAMED.fullmatch(message)):
            field, message = named.group(1), named.group(2)  # a rule across fields names one
        problems.append(Problem(message, field, refers=refers))
    return problems


_NAMED = re.compile(r"([a-z_]+): (.+)", re.DOTALL)


_SCHEMAS: dict[type[BaseModel], dict[str, Any]] = {}


def _schema_of(model: type[BaseModel] | None) -> dict[str, Any]:
    if model is None:
        return {}
    if model not in _SCHEMAS:
        _SCHEMAS[model] = model.model_json_schema()
    return _SCHEMAS[model]


def _message(detail: Any, shape: dict[str, Any], example: Any) -> str:
    kind, ctx, got = detail["type"], detail.get("ctx") or {}, detail.get("input")
    if kind == "missing":
        return "required field is missing" + (
            "" if example is None else f" (e.g. {_json(example)})"
        )
    if kind == "extra_forbidden":
        return "unknown field; see `diplo schema` for the fields of this type"
    if kind == "string_pattern_mismatch":
        fallback = "not in the expected form" + _like(example)
        return _PATTERN_HINTS.get(str(ctx.get("pattern")), fallback)
    if kind in ("value_error", "assertion_error"):
        return re.sub(r"^(Value|Assertion) error, ", "", str(detail["msg"]))
    if kind in _BOUNDS:
        return _BOUNDS[kind].format(**ctx) + f", got {_shown(got)}"
    if kind in ("too_short", "too_long", "string_too_short", "string_too_long"):
        return _length(kind, ctx)
    if kind in ("literal_error", "enum"):
        return f"expected one of {ctx.get('expected', '')}, got {_shown(got)}"
    return f"expected {_shape(shape)}{_like(example)}, got {_got(got)}"


_BOUNDS = {
    "greater_than_equal": "expected {ge} or more",
    "greater_than": "expected more than {gt}",
    "less_than_equal": "expected at most {le}",
    "less_than": "expected less than {lt}",
}


def _length(kind: str, ctx: dict[str, Any]) -> str:
    unit = "characters" if kind.startswith("string") else "items"
    if kind.endswith("too_short"):
        least = ctx.get("min_length", 1)
        if unit == "characters" and least == 1:
            return "must not be empty"
        return f"expected at least {least} {unit[:-1] if least == 1 else unit}"
    told = f", got {ctx['actual_length']}" if "actual_length" in ctx else ""
    return f"expected at most {ctx.get('max_length')} {unit}{told}"


def _at(
    schema: dict[str, Any], loc: tuple[int | str, ...]
) -> tuple[dict[str, Any], Any, tuple[str, ...]]:
    """The schema of the value at ``loc``, an example of it, and the kinds of record it
    names (``x-refers-to``), as far as they are known."""
    defs = schema.get("$defs", {})
    node: dict[str, Any] = schema
    example: Any = None
    kinds: tuple[str, ...] = ()
    for step in loc:
        node = _resolved(node, defs)
        if isinstance(step, int):
            node = node.get("items", {})
            example = example[0] if isinstance(example, list) and example else None
        else:
            node = node.get("properties", {}).get(step, {})
            example = example.get(step) if isinstance(example, dict) else None
            kinds = tuple(node.get("x-refers-to", ()))
        if "examples" in node:
            example = node["examples"][0]
    return _resolved(node, defs), example, kinds


def _resolved(node: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    options = [o for o in node.get("anyOf", [node]) if o.get("type") != "null"]
    chosen = options[0] if options else node
    name = _ref_name(chosen)
    return dict(defs.get(name, chosen)) | {"_ref": name} if name else chosen


def _ref_name(node: dict[str, Any]) -> str:
    options = [o for o in node.get("anyOf", [node]) if o.get("type") != "null"]
    ref = (options[0] if options else node).get("$ref", "")
    return str(ref).rsplit("/", 1)[-1]


def _shape(node: dict[str, Any]) -> str:
    """``a list of sources``, ``an amount``, ``text``: what a value of this schema is."""
    kind = node.get("type")
    if kind == "array":
        items = node.get("items", {})
        each = _shape(items | {"_ref": _ref_name(items)})
        return "a list" if each == "a JSON string" else f"a list of {_plural(each)}"
    if node.get("_ref") in NOUNS:
        return NOUNS[node["_ref"]]
    if "enum" in node:
        return "one of " + ", ".join(repr(v) for v in node["enum"])
    if node.get("pattern") == SLUG_PATTERN:
        return "an id"
    return {
        "string": "a JSON string",
        "integer": "a whole number",
        "boolean": "true or false",
        "object": "an object",
    }.get(str(kind), "a value of another shape (see `diplo schema`)")


def _plural(noun: str) -> str:
    noun = re.sub(r"^(a|an) ", "", noun)
    return noun if noun.endswith("s") else f"{noun}s"


def _like(example: Any) -> str:
    return "" if example is None else f" like {_json(example)}"


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _shown(value: Any) -> str:
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return json_kind(value)
    return text if len(text) <= 60 else f"{text[:57]}…"


def _got(value: Any) -> str:
    """The wrong value itself when it is short and plain, else only its kind."""
    if isinstance(value, (str, int, float, bool)):
        return f"text {_shown(value)}" if isinstance(value, str) else _shown(value)
    return json_kind(value)


def _dotted(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
