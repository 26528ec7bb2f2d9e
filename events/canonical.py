"""The canonical bytes of JSON data, apart from the catalog: the hash chain and the seals
need them without the models (a command that only verifies builds none)."""

from __future__ import annotations

import json
from typing import Any

import orjson


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
