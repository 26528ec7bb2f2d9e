"""One stored record format, one encoder, one decoder (plain data, and the Fact built on it)."""

from __future__ import annotations

import sqlite3
import warnings
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from diplo.domain.errors import InvalidCorrection
from diplo.domain.store.opening import open_ledger
from diplo.domain.store.records import decode_data, decode_fact, encode_record
from diplo.events.catalog import CATALOG, canonical_dict, parse_fact
from tests.conftest import GRANT, ORG, facts

FIXTURE = Path(__file__).parents[1] / "fixtures" / "ledger-0.1" / "ledger.db"


def stored_states() -> list[bytes]:
    """Every record that diplo 0.1 stored, read without opening (or touching) the fixture."""
    with closing(sqlite3.connect(f"file:{FIXTURE}?immutable=1", uri=True)) as db:
        return [row[0] for row in db.execute("SELECT state FROM stored_events ORDER BY rowid")]


def test_a_record_reads_back_as_the_fact_and_the_time_it_stores() -> None:
    fact = parse_fact(GRANT | {"key": "g1-signed", "recorded_by": "clerk"})
    at = datetime(2025, 3, 16, 9, 30, tzinfo=UTC)

    state = encode_record(fact, at)

    decoded, recorded_at = decode_fact(state)
    assert (type(decoded), canonical_dict(decoded), recorded_at) == (
        type(fact),
        canonical_dict(fact),
        at,
    )
    assert decode_data(state) == (canonical_dict(fact), at.isoformat())


def test_every_stored_record_decodes_alike_as_data_and_as_fact_and_encodes_to_its_bytes() -> None:
    states = stored_states()
    assert len(states) > 20
    for state in states:
        data, recorded_at = decode_data(state)
        fact, at = decode_fact(state)
        assert data == canonical_dict(fact)
        assert at.isoformat() == recorded_at
        assert encode_record(fact, at) == state


def test_a_fact_holding_an_integer_beyond_64_bits_is_refused_not_stored_inexactly() -> None:
    fact = parse_fact(GRANT | {"key": "g"})
    with warnings.catch_warnings():  # pydantic warns of the unvalidated value
        warnings.simplefilter("ignore")
        unvalidated = fact.model_copy(update={"purpose": 2**70})

        with pytest.raises(ValueError, match="cannot be stored exactly: Integer exceeds 64-bit"):
            encode_record(unvalidated, datetime(2025, 3, 16, tzinfo=UTC))


def integer_schemas(schema: Any) -> Iterator[dict[str, Any]]:
    if isinstance(schema, dict):
        if schema.get("type") == "integer":
            yield schema
        for value in schema.values():
            yield from integer_schemas(value)
    elif isinstance(schema, list):
        for value in schema:
            yield from integer_schemas(value)


def test_no_fact_can_hold_an_integer_beyond_64_bits() -> None:
    integers = [s for model in CATALOG.values() for s in integer_schemas(model.model_json_schema())]
    assert integers  # quantities, at least
    for schema in integers:
        assert schema["minimum"] >= -(2**63) and schema["maximum"] < 2**63, schema


def test_a_correction_cannot_bring_in_an_integer_beyond_64_bits(store: str) -> None:
    ledger = open_ledger(store)
    ledger.record(facts(ORG, GRANT | {"key": "g"}), recorded_by="clerk")
    fix = {"type": "EventCorrected", "target": "g", "changes": {"note": 2**70}, "reason": "r"}

    with pytest.raises(InvalidCorrection, match="would be invalid"):
        ledger.record(facts(fix), recorded_by="clerk")

    assert ledger.head() == 2
    ledger.close()
