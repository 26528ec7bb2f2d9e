"""Quick validation of plain import lines: the catalog's own models, with their value checks
run by pydantic-core itself instead of by Python functions.

Validating an import called a Python function for every name, text, code and amount of every
line: a fifth of reading and validating it. For each event type this module derives from the
model's own core schema a second validator, in which those checks are the same rules stated as
constraints pydantic-core checks in Rust: "no control character" as a pattern, a country as
the set of ISO codes the Python check accepts, an amount as its decimal pattern. What it
builds is the model's own: same class, fields, defaults and model validators. It accepts only
what the model's own validator accepts, with the same result (tests/events/test_quick.py
holds the two to that); a line it refuses is validated again by the model's own validator,
which words every refusal, so a clerk never reads anything of this module.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any, get_args

from pydantic import AfterValidator, BeforeValidator, ValidationError
from pydantic_core import SchemaValidator

from diplo.events import values
from diplo.events.catalog import CATALOG, refuse_reserved_key
from diplo.events.envelope import Fact

Schema = dict[str, Any]
Rule = Callable[[Schema], Schema | None]  # a function node's schema -> its Rust equivalent

# Lines of a type validated the careful way before its quick validator is built: building
# one takes about 3 ms (and reading the ISO lists for the first, 15 ms), and it saves about
# 5 µs a line, so a short import is quicker without, and a long one pays it back many times.
QUICK_AFTER = 500

# None: the type's quick validator could not be built, and its lines are read the careful way
_VALIDATORS: dict[type[Fact], SchemaValidator | None] = {}
_SEEN: dict[type[Fact], int] = {}


def quick_fact(data: Any) -> Fact | None:
    """The fact that ``data`` (the JSON data of a plain line, its text NFC) tells, if the
    quick validator accepts it; None when the model's own validator must say why not, or
    its type has not yet been seen often enough to be worth a quick validator."""
    kind = data.get("type") if isinstance(data, dict) else None
    model = CATALOG.get(kind) if isinstance(kind, str) else None
    if model is None or not values.on_input():
        return None
    if model in _VALIDATORS:
        validator = _VALIDATORS[model]
    else:
        _SEEN[model] = seen = _SEEN.get(model, 0) + 1
        if seen <= QUICK_AFTER:
            return None
        validator = _built(model)
    if validator is None:
        return None
    try:
        fact: Fact = validator.validate_python(data)
    except ValidationError:
        return None
    refuse_reserved_key(fact)
    return fact


def _built(model: type[Fact]) -> SchemaValidator | None:
    """The quick validator of ``model``, or None if one cannot be built here: the
    core schema is pydantic-core's own format, which a pydantic release may change, and then
    every line of the type is read the careful way (slower, never different)."""
    model.model_rebuild()  # a deferred model gets its core schema now
    models: set[type] = set()
    validator: SchemaValidator | None
    try:
        schema = _rewritten(model.__pydantic_core_schema__, _rules(), models)
        with _as_incomplete(models):
            validator = SchemaValidator(schema)
    except Exception:  # any failure to build means: read it the careful way
        validator = None
    _VALIDATORS[model] = validator
    return validator


@contextmanager
def _as_incomplete(models: set[type]) -> Iterator[None]:
    """Given a schema of a complete model, pydantic-core reuses the model's own validator
    (Python checks and all) instead of building one from the schema; told the models are
    incomplete for the moment it builds, it builds them from the rewritten schema."""
    complete = [model for model in models if model.__dict__.get("__pydantic_complete__")]
    for model in complete:
        model.__pydantic_complete__ = False  # type: ignore[attr-defined]
    try:
        yield
    finally:
        for model in complete:
            model.__pydantic_complete__ = True  # type: ignore[attr-defined]


def _rewritten(node: Any, rules: dict[Any, Rule], models: set[type]) -> Any:
    """A copy of a core schema with each Python check that has a Rust equivalent replaced by
    it; any other node (a date, a model validator, a check not listed) is kept as it is.
    The classes of the models it builds are added to ``models``."""
    if isinstance(node, list):
        return [_rewritten(item, rules, models) for item in node]
    if not isinstance(node, dict):
        return node
    node = {name: _rewritten(value, rules, models) for name, value in node.items()}
    if node.get("type") == "model":
        models.add(node["cls"])
    if node.get("type") in ("function-after", "function-before"):
        rule = rules.get((node["type"], node["function"].get("function")))
        replaced = rule(node["schema"]) if rule else _merged_max_length(node)
        if replaced is not None:
            return replaced
    return node


@cache
def _rules() -> dict[Any, Rule]:
    """Each Python check of values, keyed by how the core schema calls it (made once: the
    ISO lists are read for it)."""
    rules: dict[Any, Rule] = {
        ("function-after", _after(values.Name)): _with_pattern(f"^[^{values.LINE_CONTROLS}]*$"),
        ("function-after", _after(values.Text)): _with_pattern(f"^[^{values.CONTROLS}]*$"),
        ("function-before", _before(values.Money.model_fields["value"].metadata)): _strict(
            f"^{values.DECIMAL_PATTERN}$"
        ),
    }
    for check, kind in values.CODE_KINDS.items():
        pattern = _code_pattern(kind)
        if pattern is not None:
            rules[("function-before", check)] = _strict(pattern)
    return rules


def _after(annotated: Any) -> Any:
    return next(m.func for m in get_args(annotated)[1:] if isinstance(m, AfterValidator))


def _before(metadata: list[Any]) -> Any:
    return next(m.func for m in metadata if isinstance(m, BeforeValidator))


def _with_pattern(pattern: str) -> Rule:
    """An after-check of a constrained string: the same string schema, and the pattern."""

    def rule(inner: Schema) -> Schema | None:
        fits = inner.get("type") == "str" and "pattern" not in inner
        return {**inner, "pattern": pattern} if fits else None

    return rule


def _strict(pattern: str) -> Rule:
    """A before-check that refuses anything but a string, then matches it whole."""

    def rule(inner: Schema) -> Schema | None:
        fits = inner == {"type": "str"}
        return {"type": "str", "strict": True, "pattern": pattern} if fits else None

    return rule


def _code_pattern(kind: str) -> str | None:
    """The codes of ``kind`` the Python check accepts, as one pattern; None for the kinds
    left to Python (regions: thousands of codes; sectors: their own codelist)."""
    if kind == "party":  # a country, or an organisation id (a slug of at most 64)
        return f"^(?:{_codes('country')}|[a-z0-9][a-z0-9-]{{0,63}})$"
    if kind in ("country", "currency", "language"):
        return f"^(?:{_codes(kind)})$"
    return None


@cache
def _codes(kind: str) -> str:
    """Every code of ``kind`` in its ISO list that the Python check accepts, joined by ``|``."""
    import pycountry

    if kind == "country":
        listed = [country.alpha_2 for country in pycountry.countries]
    elif kind == "currency":
        listed = [currency.alpha_3 for currency in pycountry.currencies]
    else:
        listed = [getattr(language, "alpha_2", "") for language in pycountry.languages]
    return "|".join(sorted(code for code in listed if code and values.known_code(kind, code)))


def _merged_max_length(node: Schema) -> Schema | None:
    """pydantic checks a length limit given over a validated string (``title``: a Name,
    limited again) in Python; the same limit on the string schema is checked in Rust."""
    check, inner = node["function"].get("function"), node["schema"]
    limit = getattr(check, "keywords", {}).get("max_length")
    named = getattr(getattr(check, "func", None), "__name__", "") == "max_length_validator"
    if not (named and isinstance(limit, int) and inner.get("type") == "str"):
        return None
    return {**inner, "max_length": min(limit, inner.get("max_length", limit))}
