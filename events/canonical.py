"""The canonical bytes of JSON data, apart from the catalog: the hash chain and the seals
need them without the models (a command that only verifies builds none)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import orjson

# Fields outside the content: who recorded it, who reported it, and the key that names it.
NON_CONTENT = frozenset({"key", "recorded_by", "reported_by"})


def content_digest(content: dict[str, Any]) -> str:
    """SHA-256 of a fact's canonical content (its data without ``NON_CONTENT``)."""
    return hashlib.sha256(canonical_json(content)).hexdigest()


def content_of(data: dict[str, Any]) -> dict[str, Any]:
    """A fact's canonical data (``catalog.canonical_dict``) without key and recorders."""
    return {name: value for name, value in data.items() if name not in NON_CONTENT}


def canonical_json(data: Any) -> bytes:
    """Deterministic bytes for hashing and storage: keys sorted, no spaces, UTF-8.

    These bytes are what every stored hash commits to, so they must never change: they are
    the standard library's ``json.dumps(sort_keys=True, separators=(",", ":"),
    ensure_ascii=False)``. orjson writes the same bytes 2.4 times as fast (measured on
    generated facts) for what a fact can hold (strings, integers, booleans, null, lists,
    objects; tests/events/test_canonical.py checks it); what it refuses (integers beyond 64
    bits) goes to the standard library.
    Floats, where the two differ (1e+16 against 1e16), are never valid in a fact.
    """
    try:
        return orjson.dumps(data, option=orjson.OPT_SORT_KEYS)
    except TypeError:
        return _stdlib_json(data)


def _stdlib_json(data: Any) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
