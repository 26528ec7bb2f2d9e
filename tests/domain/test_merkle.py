"""RFC 9162 Merkle trees: roots, inclusion and consistency proofs, checked against each other;
and the leaves they are built from (``chain.py``): every v2 field is length-prefixed, so no
choice of text can shift bytes from one field into the next (a key "a\\nb" against a key "a"
and a content hash starting "b"), and a leaf reads back as exactly the columns it was made of."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from diplo.domain.integrity import chain, merkle


def leaves(n: int) -> list[bytes]:
    return [merkle.leaf_hash(f"event {i}".encode()) for i in range(n)]


def reference_root(hashes: list[bytes]) -> bytes:
    """MTH straight from the RFC's recursive definition."""
    if not hashes:
        return hashlib.sha256(b"").digest()
    if len(hashes) == 1:
        return hashes[0]
    k = 1 << ((len(hashes) - 1).bit_length() - 1)
    return merkle.node_hash(reference_root(hashes[:k]), reference_root(hashes[k:]))


def test_leaves_and_nodes_are_domain_separated() -> None:
    assert merkle.leaf_hash(b"x") == hashlib.sha256(b"\x00x").digest()
    assert merkle.node_hash(b"a", b"b") == hashlib.sha256(b"\x01ab").digest()


@given(st.integers(0, 300))
def test_the_streaming_root_equals_the_recursive_definition(n: int) -> None:
    assert merkle.root(leaves(n)) == reference_root(leaves(n))


@given(st.integers(1, 200).flatmap(lambda n: st.tuples(st.just(n), st.integers(0, n - 1))))
def test_every_leaf_has_an_inclusion_proof_that_verifies(case: tuple[int, int]) -> None:
    n, index = case
    tree = leaves(n)
    proof = merkle.inclusion_proof(index, tree)
    assert merkle.verify_inclusion(tree[index], index, n, proof, merkle.root(tree))
    assert not merkle.verify_inclusion(
        merkle.leaf_hash(b"forged"), index, n, proof, merkle.root(tree)
    )
    if n > 1:
        assert not merkle.verify_inclusion(
            tree[index], (index + 1) % n, n, proof, merkle.root(tree)
        )


@given(st.integers(1, 200).flatmap(lambda n: st.tuples(st.integers(1, n), st.just(n))))
def test_a_prefix_has_a_consistency_proof_that_verifies(case: tuple[int, int]) -> None:
    old, new = case
    tree = leaves(new)
    proof = merkle.consistency_proof(old, tree)
    old_root, new_root = merkle.root(tree[:old]), merkle.root(tree)
    assert merkle.verify_consistency(old, new, old_root, new_root, proof)
    if old < new:
        assert not merkle.verify_consistency(
            old, new, merkle.root(leaves(old + 1)[1:]), new_root, proof
        )


def test_a_rewritten_history_is_not_consistent_with_the_old_root() -> None:
    tree = leaves(20)
    old_root = merkle.root(tree[:7])
    rewritten = tree[:3] + [merkle.leaf_hash(b"altered")] + tree[4:]
    proof = merkle.consistency_proof(7, rewritten)
    assert not merkle.verify_consistency(7, 20, old_root, merkle.root(rewritten), proof)


text = st.text(max_size=12)
columns = st.tuples(
    st.integers(1, 10**12), text, st.integers(1, 10**6), text, text, text, st.binary(max_size=40)
)


@given(columns, columns)
def test_distinct_columns_never_share_a_v2_leaf(a: Any, b: Any) -> None:
    if a != b:
        assert chain.leaf_v2(*a) != chain.leaf_v2(*b)


@given(columns)
def test_the_ascii_fast_path_writes_the_same_bytes_as_the_general_one(row: Any) -> None:
    position, stream, version, topic, key, content, state = row
    general = b"diplo-leaf-v2\n" + b"".join(
        b"%d:%b\n" % (len(f), f)
        for f in [str(x).encode() for x in (position, stream, version, topic, key, content)]
        + [state]
    )
    assert chain.leaf_v2(*row) == general


@given(columns)
def test_verify_hashes_a_v2_leaf_exactly_as_the_leaf_is_written(row: Any) -> None:
    assert chain.leaf_v2_hash(*row) == merkle.leaf_hash(chain.leaf_v2(*row))


@given(st.text(min_size=1, max_size=20), st.integers(1, 10**9))
def test_a_v2_leaf_reads_back_its_key_and_position(key: str, position: int) -> None:
    state = json.dumps({"fact": {"key": key}}).encode()
    leaf = chain.parse(chain.leaf_v2(position, "ab" * 16, 1, "diplo:X", key, "h", state))
    assert (leaf.form, leaf.key, leaf.position) == (chain.V2, key, position)


def test_a_key_with_a_newline_cannot_pose_as_the_next_field() -> None:
    state = b"{}"
    honest = chain.leaf_v2(1, "s", 1, "t", "a", "b\nc", state)
    shifted = chain.leaf_v2(1, "s", 1, "t", "a\nb", "c", state)
    assert honest != shifted


def test_the_two_formats_never_produce_the_same_link() -> None:
    row = (5, "ab" * 16, 1, "diplo:X", "k", "h", b'{"fact":{"key":"k"}}')
    v1 = chain.next_link(chain.GENESIS, chain.leaf(chain.V1, *row))
    v2 = chain.next_link(chain.GENESIS, chain.leaf(chain.V2, *row))
    assert v1 != v2
    assert chain.form_of(chain.GENESIS, v1.hex(), row) == chain.V1
    assert chain.form_of(chain.GENESIS, v2.hex(), row) == chain.V2
    assert chain.form_of(chain.GENESIS, "00" * 32, row) is None
