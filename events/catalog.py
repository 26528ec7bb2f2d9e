"""The event catalog: every type by name, parsing with clear errors, canonical form and keys.

The canonical form is what is stored, hashed and exported: the validated model dumped to JSON
with empty optional values left out, keys sorted, UTF-8, no insignificant white space. Leaving
out empty values keeps a fact's hash stable when a later schema version adds an optional field.
"""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import ValidationError

from diplo.events.canonical import NON_CONTENT, content_digest
from diplo.events.canonical import canonical_json as canonical_json  # where callers look
from diplo.events.declaration import declarations
from diplo.events.envelope import Fact
from diplo.events.errors import InvalidEvent, Problem
from diplo.events.types.corrections import EventCorrected
from diplo.events.values import nfc

# Every type by name, from the declarations (diplo.events.types).
CATALOG: dict[str, type[Fact]] = {name: d.model for name, d in declarations().items()}


def model_for(type_name: Any) -> type[Fact]:
    """The model of a type name, or an error that suggests the closest names."""
    if not isinstance(type_name, str) or not type_name:
        raise InvalidEvent([Problem("missing event type; expected one of the catalog", "type")])
    try:
        return CATALOG[type_name]
    except KeyError:
        close = difflib.get_close_matches(type_name, CATALOG, n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(close)}?" if close else "; see `diplo schema`"
        raise InvalidEvent([Problem(f"unknown event type {type_name!r}{hint}", "type")]) from None


def parse_fact(data: Any, *, normalized: bool = False) -> Fact:
    """Validate one event body (a JSON object) into its catalog model.

    Input only: its text is NFC-normalised first (stored facts are read as they were
    written), unless the caller has normalised it already (``normalized``)."""
    if not isinstance(data, dict):
        raise InvalidEvent([Problem(f"expected a JSON object, got {_json_kind(data)}")])
    if not normalized:
        data = nfc(data)
    model = model_for(data.get("type"))
    try:
        # The validator itself, not model_validate: that wrapper costs an import 3 %.
        fact: Fact = model.__pydantic_validator__.validate_python(data)
    except ValidationError as error:
        raise InvalidEvent(problems_of(error, model)) from None
    refuse_reserved_key(fact)
    return fact


RESERVED_KEY_PREFIX = "sha256:"


def refuse_reserved_key(fact: Fact) -> None:
    """Keys of the form ``sha256:…`` are the default keys: given one, it must be the key the
    content itself gets (an export re-imported), or anyone could squat a fact's key first."""
    key = fact.key
    if key and key[0] in "sS" and key[: len(RESERVED_KEY_PREFIX)].lower() == RESERVED_KEY_PREFIX:
        own = default_key(fact)
        if key != own:
            raise InvalidEvent(
                [
                    Problem(
                        f"keys beginning {RESERVED_KEY_PREFIX!r} are reserved for default keys, "
                        f"and this content's own is {own!r}; leave the key out or choose another",
                        "key",
                    )
                ]
            )


def problems_of(error: ValidationError, model: type[Fact] | None = None) -> list[Problem]:
    """One problem per field, in the ledger's words (see ``diplo.events.wording``)."""
    from diplo.events.wording import problems_of as worded

    return worded(error, model)


def _json_kind(value: Any) -> str:
    return {list: "an array", str: "a string", type(None): "null", bool: "a boolean"}.get(
        type(value), "a number"
    )


def canonical_dict(fact: Fact) -> dict[str, Any]:
    """The fact as plain JSON data, empty optional values (None, []) left out."""
    return stamped_dict(fact, {name: getattr(fact, name) for name in NON_CONTENT})


def stamped_dict(fact: Fact, stamps: dict[str, Any]) -> dict[str, Any]:
    """``canonical_dict`` of ``fact`` with its key, recorder and reporter set to ``stamps``
    (all three), without making that stamped copy: its content, then each stamp not None."""
    data = dict(_content_of(fact))
    for name, value in stamps.items():
        if value is not None:
            data[name] = value
    return data


def _content_of(fact: Fact) -> dict[str, Any]:
    """The canonical data without key and recorder, dumped once per fact: an import needs it
    for the content hash and again for the stored record."""
    caches = _caches(fact)
    content: dict[str, Any] | None = caches["_content"]
    if content is None:
        content = fact.model_dump(mode="json", exclude_none=True, exclude=_NON_CONTENT)
        for name in [name for name, value in content.items() if value == []]:
            del content[name]  # lists are top-level fields only, except items, never empty
        if isinstance(fact, EventCorrected):
            content["changes"] = fact.changes  # a correction may set a field to null on purpose
        caches["_content"] = content
    return content


_NON_CONTENT = set(NON_CONTENT)  # what model_dump leaves out (never changed)


def _caches(fact: Fact) -> dict[str, Any]:
    """The fact's caches of its canonical content and hash (frozen fields, so they never go
    stale), made on first use. They leave out key, recorder and reporter, so the copy that
    stamps them (``model_copy`` copies them) keeps all. Read directly: pydantic's attribute
    hook for private attributes cost an import a tenth of its time."""
    caches: dict[str, Any] | None = fact.__pydantic_private__
    if caches is None:
        caches = {"_content": None, "_content_digest": None}
        object.__setattr__(fact, "__pydantic_private__", caches)
    return caches


def content_hash(fact: Fact) -> str:
    """SHA-256 of the canonical content (without key and recorder): same fact, same hash.

    Cached on the (frozen) fact: it is asked for by idempotency checks and by the mapper.
    """
    caches = _caches(fact)
    digest: str | None = caches["_content_digest"]
    if digest is None:
        digest = caches["_content_digest"] = content_digest(_content_of(fact))
    return digest


def key_of(fact: Fact) -> str:
    """The fact's idempotency key: the given one, or one derived from its content."""
    return fact.key or default_key(fact)


def default_key(fact: Fact) -> str:
    """The key derived from the content alone (``sha256:`` and 24 hex digits of its hash)."""
    return f"{RESERVED_KEY_PREFIX}{content_hash(fact)[:24]}"
