"""Canonical bytes never change: the fast encoder writes exactly what the standard one does."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from diplo.domain.store.opening import open_ledger
from diplo.events.catalog import canonical_json, parse_fact
from diplo.events.errors import LedgerError
from tests.conftest import GRANT, ORG, facts

# Everything a fact's canonical form can hold: JSON without floats, integers of any size,
# text of any code point but lone surrogates (which UTF-8 cannot carry).
TEXT = st.text(st.characters(blacklist_categories=["Cs"]))
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | TEXT,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(TEXT, inner, max_size=5),
    max_leaves=30,
)


def standard(data: Any) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


@given(JSON)
def test_canonical_bytes_are_the_standard_librarys(data: Any) -> None:
    assert canonical_json(data) == standard(data)


def test_integers_beyond_64_bits_are_written_as_the_standard_library_does() -> None:
    assert canonical_json({"n": 2**70}) == standard({"n": 2**70})


def test_control_characters_and_non_ascii_text_are_written_alike() -> None:
    data = {"b": '\x00\x1f\u2028 \u00fc "q" \\ \u6771 \U0001f600', "a": [True, None, -0]}
    assert canonical_json(data) == standard(data)


@pytest.mark.parametrize("value", [800.0, 1e16, 0.5])
def test_a_float_never_reaches_a_fact(value: float) -> None:
    with pytest.raises(LedgerError):
        parse_fact(GRANT | {"amount": {"value": value, "currency": "JPY"}})


@pytest.mark.parametrize(
    "changes",
    [{"purpose": 1e16}, {"amount": {"value": 0.5, "currency": "JPY"}}, {"note": 800.0}],
)
def test_a_correction_carrying_a_float_is_refused(store: str, changes: dict[str, Any]) -> None:
    ledger = open_ledger(store)
    ledger.record(facts(ORG, GRANT | {"key": "g"}), recorded_by="clerk")
    fix = {"type": "EventCorrected", "target": "g", "changes": changes, "reason": "r"}
    with pytest.raises(LedgerError, match="would be invalid"):
        ledger.record(facts(fix), recorded_by="clerk")
    assert ledger.head() == 2
    ledger.close()
