"""Verify and prove in flat memory: the Merkle frontier and streamed consistency and inclusion
proofs give exactly the bytes the list-based implementation (diplo before the frontier, kept
here as the reference) gave, for every size, so sealed checkpoints, published roots and
proofs handed out stay valid."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from diplo.domain.integrity import merkle


def leaves(n: int) -> list[bytes]:
    return [merkle.leaf_hash(f"event {i}".encode()) for i in range(n)]


def root_as_before(hashes: list[bytes]) -> bytes:
    """diplo's root() before the frontier, verbatim."""
    if not hashes:
        return merkle.EMPTY_ROOT
    stack: list[tuple[int, bytes]] = []
    for leaf in hashes:
        height, value = 0, leaf
        while stack and stack[-1][0] == height:
            value = merkle.node_hash(stack.pop()[1], value)
            height += 1
        stack.append((height, value))
    value = stack.pop()[1]
    while stack:
        value = merkle.node_hash(stack.pop()[1], value)
    return value


def proof_as_before(m: int, hashes: list[bytes], complete: bool = True) -> list[bytes]:
    """diplo's consistency_proof() before proofs were made of ranges, verbatim."""
    n = len(hashes)
    if m == n:
        return [] if complete else [root_as_before(hashes)]
    k = 1 << ((n - 1).bit_length() - 1)
    if m <= k:
        return proof_as_before(m, hashes[:k], complete) + [root_as_before(hashes[k:])]
    return proof_as_before(m - k, hashes[k:], False) + [root_as_before(hashes[:k])]


def path_as_before(index: int, hashes: list[bytes]) -> list[bytes]:
    """diplo's inclusion_proof() before paths were made of ranges, verbatim."""
    n = len(hashes)
    if n <= 1:
        return []
    k = 1 << ((n - 1).bit_length() - 1)
    if index < k:
        return path_as_before(index, hashes[:k]) + [root_as_before(hashes[k:])]
    return path_as_before(index - k, hashes[k:]) + [root_as_before(hashes[:k])]


def streamed(ranges: list[tuple[int, int]], tree: list[bytes]) -> list[bytes]:
    """The roots of ``ranges``, built as the leaves of ``tree`` stream past, as a scan does."""
    roots = merkle.RangeRoots(ranges)
    for index, leaf in enumerate(tree):
        roots.add(index, leaf)
    return roots.proof()


def test_the_frontier_root_is_byte_identical_for_every_size_up_to_1100() -> None:
    tree, frontier = leaves(1100), merkle.Frontier()
    assert frontier.root() == root_as_before([])
    for n, leaf in enumerate(tree, 1):
        frontier.add(leaf)
        assert frontier.root() == root_as_before(tree[:n]), n


@settings(max_examples=60)
@given(st.integers(0, 5000))
def test_the_root_of_any_size_is_byte_identical(n: int) -> None:
    assert merkle.root(iter(leaves(n))) == root_as_before(leaves(n))


@settings(max_examples=80)
@given(st.integers(1, 700).flatmap(lambda n: st.tuples(st.integers(1, n), st.just(n))))
def test_a_streamed_consistency_proof_is_the_proof_built_from_every_leaf(
    case: tuple[int, int],
) -> None:
    old, new = case
    tree = leaves(new)
    proof = streamed(merkle.consistency_ranges(old, new), tree)
    expected = proof_as_before(old, tree) if old != new else []
    assert proof == expected == merkle.consistency_proof(old, tree)
    assert merkle.verify_consistency(
        old, new, root_as_before(tree[:old]), root_as_before(tree), proof
    )


def test_the_frontier_holds_a_logarithmic_number_of_subtrees() -> None:
    frontier = merkle.Frontier()
    for leaf in leaves(4095):  # 2**12 - 1: twelve complete subtrees, the most below 4096
        frontier.add(leaf)
    assert len(frontier._stack) == 12  # noqa: SLF001 - the memory is what is under test


def test_a_flat_scan_of_a_ledger_agrees_with_one_that_keeps_every_leaf(tmp_path: Path) -> None:
    from diplo.domain.integrity.verify import against, scan
    from diplo.domain.store.opening import open_ledger
    from diplo.events.catalog import parse_fact
    from tests.generate import generate

    ledger = open_ledger(str(tmp_path / "ledger.db"), create=True)
    facts = [(f"line {n}", parse_fact(body)) for n, body in enumerate(generate(700), 1)]
    ledger.record(facts[:300], recorded_by="test")
    sealed = scan(ledger)
    checkpoint = SimpleNamespace(
        size=sealed.size, origin=sealed.origin, marks=sealed.marks, root_hex=sealed.root.hex()
    )
    ledger.record(facts[300:], recorded_by="test")
    full = scan(ledger)
    flat = scan(ledger, keep_leaves=False, checkpoint_sizes=[checkpoint.size])
    assert flat.leaves == [] and len(full.leaves) == flat.size == full.size
    assert flat.root == merkle.root(full.leaves) and flat.origin == full.origin
    assert flat.marks == full.marks and flat.chain == full.chain and flat.problems == []
    assert flat.consistency_proof(300) == merkle.consistency_proof(300, full.leaves)
    assert against(flat, checkpoint) == [] == against(full, checkpoint)  # type: ignore[arg-type]
    forged = SimpleNamespace(**{**vars(checkpoint), "root_hex": "00" * 32})
    assert against(flat, forged) == against(full, forged) != []  # type: ignore[arg-type]
    ledger.close()


@settings(max_examples=80)
@given(st.integers(1, 700).flatmap(lambda n: st.tuples(st.integers(0, n - 1), st.just(n))))
def test_a_streamed_inclusion_proof_is_the_path_built_from_every_leaf(
    case: tuple[int, int],
) -> None:
    index, n = case
    tree = leaves(n)
    proof = streamed(merkle.inclusion_ranges(index, n), tree)
    assert proof == path_as_before(index, tree) == merkle.inclusion_proof(index, tree)
