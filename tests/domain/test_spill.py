"""A spilled map reads and writes as a dict does, whether its entries are in memory or on disk."""

from __future__ import annotations

import sqlite3
import sys
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from diplo.domain.store.spill import Spilled

texts = st.text(alphabet=st.sampled_from(["a", "-", "\x1f", "é", "1"]), max_size=4)
keys = st.one_of(
    texts,
    st.tuples(st.sampled_from(["grant", "loan"]), texts),
    st.lists(texts, max_size=3).map(tuple),
    st.integers(min_value=-3, max_value=3),
)
values = st.recursive(
    st.one_of(st.none(), st.text(max_size=8), st.integers()),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=6,
)
operations = st.lists(
    st.one_of(
        st.tuples(st.just("set"), keys, values),
        st.tuples(st.just("delete"), keys, st.none()),
    ),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(operations, st.integers(min_value=0, max_value=4))
def test_a_spilled_map_reads_as_a_dict_after_any_writes(
    steps: list[tuple[str, Any, Any]], kept: int
) -> None:
    spilled, expected = Spilled(kept), dict[Any, Any]()
    try:
        for operation, key, value in steps:
            if operation == "set":
                spilled[key] = expected[key] = value
            elif key in expected:
                del spilled[key]
                del expected[key]
            else:
                assert key not in spilled
            assert len(spilled) == len(expected)
        assert dict(spilled.items()) == expected
        for _, key, _ in steps:
            assert spilled.get(key, "absent") == expected.get(key, "absent")
            assert (key in spilled) is (key in expected)
        assert len(spilled.memory) <= kept
    finally:
        spilled.close()


def test_entries_beyond_those_kept_wait_on_disk() -> None:
    spilled = Spilled(kept=2)
    for number in range(10):
        spilled[("grant", f"g{number}")] = [f"C{number}"]
    assert len(spilled.memory) == 2 and len(spilled) == 10
    assert spilled[("grant", "g9")] == ["C9"]
    spilled[("grant", "g9")] = ["JP", "UZ"]  # replaced on disk, still one entry
    assert spilled.get(("grant", "g9")) == ["JP", "UZ"] and len(spilled) == 10
    spilled.close()


def test_a_key_is_found_however_its_text_was_made() -> None:
    spilled = Spilled(kept=0)
    spilled[sys.intern("moh-uz")] = "UZ"
    assert spilled.get("".join(["moh", "-uz"])) == "UZ"
    spilled.close()


def test_a_closed_map_never_answers_for_what_it_let_go() -> None:
    spilled = Spilled(kept=1)
    spilled["moh-uz"], spilled["jica"] = "UZ", "JP"
    spilled.close()
    assert spilled.get("moh-uz") == "UZ"  # in memory
    with pytest.raises(sqlite3.ProgrammingError):
        spilled.get("jica")
