"""The stored record of one event, written and read in one place.

A record is ``{"fact": …, "recorded_at": …, "v": schema version}`` as canonical JSON: the exact
bytes that hashes and exports are computed from, so they are written once and never changed.
Reading brings the fact up to its type's current schema (see events.upcasting). There are two
readers, one built on the other: ``decode_data`` gives plain data, fast (it imports no
pydantic), for the projections and the quick reads, which only need dicts; ``decode_fact``
validates that data into its Fact model.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

import orjson

from diplo.events.upcasting import upcast

if TYPE_CHECKING:
    from diplo.events.envelope import Fact


class Record(NamedTuple):
    """A stored record as plain data."""

    data: dict[str, Any]  # the fact, upcast to its type's current schema
    recorded_at: str  # ISO 8601, as stored


def encode_record(fact: Fact, recorded_at: datetime) -> bytes:
    """The bytes stored for ``fact``, recorded at ``recorded_at``: canonical JSON, and only
    what ``decode_data`` reads back exactly."""
    return record_bytes(fact_bytes(fact), recorded_at, fact.SCHEMA_VERSION)


def fact_bytes(fact: Fact) -> bytes:
    """The fact's part of its record: its canonical JSON, keys sorted.

    orjson writes the same bytes as ``canonical_json`` (the standard library's) for all that a
    fact can hold; what it refuses, integers beyond 64 bits, it would also read back as floats,
    silently. No fact can hold one (every integer field is bounded), and this keeps it so:
    reading, every event of every rebuild, then needs no check.
    """
    from diplo.events.catalog import canonical_dict

    return data_bytes(canonical_dict(fact), fact.type, fact.key)


def data_bytes(data: dict[str, Any], type_name: str, key: str | None) -> bytes:
    """``fact_bytes`` of a fact given as its canonical data (``catalog.canonical_dict``)."""
    try:
        return orjson.dumps(data, option=orjson.OPT_SORT_KEYS)
    except TypeError as error:
        raise ValueError(f"{type_name} {key!r} cannot be stored exactly: {error}") from None


def record_bytes(fact: bytes, recorded_at: datetime, version: int) -> bytes:
    """``{"fact": …, "recorded_at": …, "v": …}`` as canonical JSON (keys sorted, no spaces),
    around a fact's bytes (``fact_bytes``) made once, maybe in another process (an import's
    reader). orjson writes a datetime as its ``isoformat()``."""
    return b'{"fact":%b,"recorded_at":%b,"v":%d}' % (fact, _json_time(recorded_at), version)


_last_time: tuple[Any, bytes] = (None, b"")  # the last time written, and its JSON


def _json_time(recorded_at: datetime) -> bytes:
    """``orjson.dumps(recorded_at)``, made once for the many events of an import's chunk that
    share one time (entity.NOW). The pair is read and replaced whole: threads may share it."""
    global _last_time
    last = _last_time
    if last[0] is not recorded_at:
        last = _last_time = (recorded_at, orjson.dumps(recorded_at))
    return last[1]


def decode_data(state: bytes) -> Record:
    """The fact as plain data (upcast) and when it was recorded: the projections' fast path."""
    record = orjson.loads(state)
    return Record(upcast(record["fact"], record.get("v", 1)), record["recorded_at"])


def decode_fact(state: bytes) -> tuple[Fact, datetime]:
    """The fact as its model (upcast, validated) and when it was recorded.

    The model is built as on input, but codes are not looked up again in the ISO lists (see
    ``stored_facts``): that lookup was most of the cost of reading a ledger back."""
    data, recorded_at = decode_data(state)
    return fact_of(data), datetime.fromisoformat(recorded_at)


def fact_of(data: dict[str, Any]) -> Fact:
    """A fact's model from its canonical data (of its type's current schema), as stored."""
    from diplo.events.catalog import model_for
    from diplo.events.values import stored_facts

    with stored_facts():  # codes were checked against the ISO lists when it was recorded
        return model_for(data["type"]).model_validate(data)
