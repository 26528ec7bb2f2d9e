"""The stored record of one event, written and read in one place.

A record is ``{"fact": …, "recorded_at": …, "v": schema version}`` as canonical JSON: the exact
bytes that hashes and exports are computed from, so they are written once and never changed.
Reading brings the fact up to its type's current schema (see events.upcasting). There are two
readers, one built on the other: ``decode_data`` gives plain data, fast (no pydantic), for the
projections, which only need dicts; ``decode_fact`` validates that data into its Fact model.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple, cast

import orjson

from diplo.events.catalog import canonical_dict, canonical_json, model_for
from diplo.events.upcasting import upcast

if TYPE_CHECKING:
    from diplo.events.envelope import Fact


class Record(NamedTuple):
    """A stored record as plain data."""

    data: dict[str, Any]  # the fact, upcast to its type's current schema
    recorded_at: str  # ISO 8601, as stored


def encode_record(fact: Fact, recorded_at: datetime) -> bytes:
    """The bytes stored for ``fact``, recorded at ``recorded_at``."""
    return canonical_json(
        {
            "fact": canonical_dict(fact),
            "recorded_at": recorded_at.isoformat(),
            "v": fact.SCHEMA_VERSION,
        }
    )


def decode_data(state: bytes) -> Record:
    """The fact as plain data (upcast) and when it was recorded: the projections' fast path."""
    record = _loads(state)
    return Record(upcast(record["fact"], record.get("v", 1)), record["recorded_at"])


def decode_fact(state: bytes) -> tuple[Fact, datetime]:
    """The fact as its model (upcast, validated) and when it was recorded."""
    data, recorded_at = decode_data(state)
    return model_for(data["type"]).model_validate(data), datetime.fromisoformat(recorded_at)


_DIGITS = bytes.maketrans(b"123456789", b"000000000")
_LONG_NUMBER = b"0" * 19


def _loads(state: bytes) -> dict[str, Any]:
    """Parse with orjson, except where it would be wrong.

    orjson reads an integer beyond 64 bits as a float, silently; the standard library reads it
    exactly (and ``canonical_json`` writes such integers through it). Every integer orjson
    misreads has at least 19 digits in a row, so only bytes holding such a run, which facts
    hardly ever do (a long digit string counts too), take the slower, exact way.
    """
    if _LONG_NUMBER in state.translate(_DIGITS):
        return cast(dict[str, Any], json.loads(state))
    return cast(dict[str, Any], orjson.loads(state))
