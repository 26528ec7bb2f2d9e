"""One stored record format, one encoder, one decoder (plain data, and the Fact built on it)."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

from diplo.domain.store.records import decode_data, decode_fact, encode_record
from diplo.events.catalog import canonical_dict, canonical_json, parse_fact
from tests.conftest import GRANT

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


def test_integers_beyond_64_bits_read_back_exactly_not_as_floats() -> None:
    big, low = 2**70, -(2**63) - 1  # the second has only 19 digits
    state = canonical_json(
        {
            "fact": GRANT | {"key": "g", "extra": [big, low, 12345]},
            "recorded_at": "2025-03-16T09:30:00+00:00",
            "v": 1,
        }
    )

    extra = decode_data(state).data["extra"]

    assert extra == [big, low, 12345]
    assert all(type(n) is int for n in extra)
