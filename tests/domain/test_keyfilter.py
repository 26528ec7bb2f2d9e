"""The key filter of an import never hides a key the store holds: a key it says the store
cannot hold is not asked of the store at all, so a miss would record a key twice."""

from __future__ import annotations

from unittest import mock

from hypothesis import given
from hypothesis import strategies as st

from diplo.domain.app.keyfilter import KeyFilter

keys = st.lists(st.text(min_size=1, max_size=40), max_size=60)


@given(held=keys, asked=keys)
def test_every_key_added_is_among_those_the_store_may_hold(
    held: list[str], asked: list[str]
) -> None:
    added = KeyFilter(held[: len(held) // 2])
    added.add(held[len(held) // 2 :])
    maybe = added.among(asked + held)
    assert set(held) <= set(maybe)
    assert maybe == [key for key in asked + held if key in set(maybe)]  # in the order asked


def test_a_new_filter_holds_no_key_and_a_full_one_may_hold_any() -> None:
    assert KeyFilter().among(["k-1", "sha256:abc", "x"]) == []
    with mock.patch.object(KeyFilter, "BITS", 8):  # every key shares one of eight bits
        crowded = KeyFilter(f"k-{n}" for n in range(64))
        assert crowded.among(["never-added", "k-3"]) == ["never-added", "k-3"]
