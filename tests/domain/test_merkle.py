"""RFC 9162 Merkle trees: roots, inclusion and consistency proofs, checked against each other."""

from __future__ import annotations

import hashlib

from hypothesis import given
from hypothesis import strategies as st

from diplo.domain.integrity import merkle


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
