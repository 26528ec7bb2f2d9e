"""Merkle trees as in RFC 9162 (Certificate Transparency v2), section 2.1.

Leaves and interior nodes are hashed with different prefixes (0x00, 0x01), so a leaf can never
pass for a node. Pure functions over lists of leaf hashes; nothing here touches a store.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


class Frontier:
    """MTH of a log read one leaf at a time, in O(log n) memory: the roots of its complete
    subtrees, one per set bit of the size (RFC 9162's tree, built left to right)."""

    def __init__(self) -> None:
        self.size = 0
        self._stack: list[tuple[int, bytes]] = []  # (height, hash) of complete subtrees

    def add(self, leaf: bytes) -> None:
        height, value, stack = 0, leaf, self._stack
        while stack and stack[-1][0] == height:
            value = node_hash(stack.pop()[1], value)
            height += 1
        stack.append((height, value))
        self.size += 1

    def root(self) -> bytes:
        """MTH(D[size]) of the leaves added so far (more may follow)."""
        if not self._stack:
            return EMPTY_ROOT
        value = self._stack[-1][1]
        for _, left in reversed(self._stack[:-1]):  # the right edge: fold right to left
            value = node_hash(left, value)
        return value


def root(leaves: Iterable[bytes]) -> bytes:
    """MTH(D[n]) from the leaf hashes, in O(n) time and O(log n) memory."""
    frontier = Frontier()
    for leaf in leaves:
        frontier.add(leaf)
    return frontier.root()


def _split(n: int) -> int:
    """The largest power of two smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def inclusion_proof(index: int, leaves: list[bytes]) -> list[bytes]:
    """PATH(m, D[n]): the audit path of leaf ``index`` (0-based)."""
    return [root(leaves[a:b]) for a, b in inclusion_ranges(index, len(leaves))]


def inclusion_ranges(index: int, size: int, start: int = 0) -> list[tuple[int, int]]:
    """The leaf ranges ``[a, b)`` whose roots make PATH(index, D[size]), in the path's order:
    they depend on the index and the size alone, so a reader that streams the leaves can build
    the path (``RangeRoots``) without keeping them."""
    if size <= 1:
        return []
    k = _split(size)
    if index < k:
        return inclusion_ranges(index, k, start) + [(start + k, start + size)]
    return inclusion_ranges(index - k, size - k, start + k) + [(start, start + k)]


def verify_inclusion(
    leaf: bytes, index: int, size: int, path: list[bytes], expected: bytes
) -> bool:
    """RFC 9162 2.1.3.2: does ``path`` prove leaf ``index`` is in the tree of ``size``?"""
    if index >= size:
        return False
    fn, sn, value = index, size - 1, leaf
    for sibling in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            value = node_hash(sibling, value)
            if not fn & 1:
                while fn and not fn & 1:
                    fn, sn = fn >> 1, sn >> 1
        else:
            value = node_hash(value, sibling)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and value == expected


def consistency_proof(old_size: int, leaves: list[bytes]) -> list[bytes]:
    """PROOF(m, D[n]): proves the tree of ``old_size`` is a prefix of this one."""
    return [root(leaves[a:b]) for a, b in consistency_ranges(old_size, len(leaves))]


def consistency_ranges(old_size: int, size: int) -> list[tuple[int, int]]:
    """The leaf ranges ``[a, b)`` whose roots make PROOF(m, D[n]), in the proof's order: the
    proof depends on the sizes alone, so a reader that streams the leaves can build it."""
    if old_size == 0 or old_size == size:
        return []
    return _subproof(old_size, 0, size, True)


def _subproof(m: int, start: int, end: int, complete: bool) -> list[tuple[int, int]]:
    n = end - start
    if m == n:
        return [] if complete else [(start, end)]
    k = _split(n)
    if m <= k:
        return _subproof(m, start, start + k, complete) + [(start + k, end)]
    return _subproof(m - k, start + k, end, False) + [(start, start + k)]


class RangeRoots:
    """The roots of disjoint leaf ranges, built while the leaves stream past (one range is
    open at a time, so memory stays O(log n))."""

    def __init__(self, ranges: list[tuple[int, int]]) -> None:
        self.ranges = ranges
        self._todo = sorted(ranges, reverse=True)  # next range last
        self._open: Frontier | None = None
        self.roots: dict[tuple[int, int], bytes] = {}

    def add(self, index: int, leaf: bytes) -> None:
        """Leaf number ``index`` (0-based), in order."""
        if not self._todo or index < self._todo[-1][0]:
            return
        if self._open is None:
            self._open = Frontier()
        self._open.add(leaf)
        if index + 1 == self._todo[-1][1]:
            self.roots[self._todo.pop()] = self._open.root()
            self._open = None

    def proof(self) -> list[bytes]:
        """The roots in the order the ranges were given (all of them must be complete)."""
        return [self.roots[r] for r in self.ranges]


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: list[bytes]
) -> bool:
    """RFC 9162 2.1.4.2: is the tree (old_size, old_root) a prefix of (new_size, new_root)?"""
    if old_size > new_size:
        return False
    if old_size == new_size:
        return not proof and old_root == new_root
    if old_size == 0:
        return not proof
    if not proof:
        return False
    path = list(proof)
    if old_size & (old_size - 1) == 0:  # a power of two: the old root is the first node
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while fn and not fn & 1:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and fr == old_root and sr == new_root
