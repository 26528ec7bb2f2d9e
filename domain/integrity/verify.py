"""Tamper evidence: recompute the hash chain and the Merkle tree from the stored bytes.

The chain names the first altered, relabelled, reordered or missing position on its own; a
signed checkpoint also catches a rewrite that recomputed the chain, and truncation. Leaf
formats and how a row's format is known: ``chain.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from diplo.domain.errors import IntegrityFailure, StoreError
from diplo.domain.integrity import merkle
from diplo.domain.integrity.chain import (
    GENESIS,
    V1,
    V2,
    leaf_v1,
    leaf_v2_hash,
    legacy_labels_hold,
    link,
    missing,
    stored_key,
)
from diplo.domain.integrity.checkpoint import Checkpoint, NoteCheckpoint, origin_of

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from diplo.domain.app.ledger import Ledger

MARK = 1024  # a 0.1 checkpoint records the chain head every MARK positions
PAGE = 20_000
Progress = Callable[[int, int], None]
leaf_hash = merkle.leaf_hash


@dataclass
class Scan:
    """The log as recomputed: its Merkle frontier, chain heads at the marks, what was wrong.

    Every leaf is kept only when asked (``keep_leaves``: proofs of inclusion need them);
    otherwise memory is O(log n): the frontier, plus the root and consistency proof of each
    checkpoint size asked for in advance (``Scan.expecting``).
    """

    keep_leaves: bool = True
    leaves: list[bytes] = field(default_factory=list)
    marks: list[str] = field(default_factory=list)
    chain: bytes = GENESIS
    problems: list[str] = field(default_factory=list)
    v2_from: int | None = None  # the first row written with the v2 leaf
    frontier: merkle.Frontier = field(default_factory=merkle.Frontier)
    first_leaf: bytes | None = None
    prefix_roots: dict[int, bytes] = field(default_factory=dict)
    proofs: dict[int, merkle.RangeRoots] = field(default_factory=dict)
    inclusion: merkle.RangeRoots | None = None  # see ``including``

    def expecting(self, size: int, old_sizes: list[int]) -> None:
        """Prepare, before the scan, the roots and consistency proofs of these checkpoint
        sizes against a log of ``size`` events, so that no leaf need be kept."""
        for old in old_sizes:
            if 0 < old <= size:
                self.prefix_roots.setdefault(old, b"")
                self.proofs[old] = merkle.RangeRoots(merkle.consistency_ranges(old, size))

    def including(self, index: int, size: int) -> None:
        """Prepare, before the scan, the inclusion proof of leaf ``index`` in the tree of
        ``size`` (``inclusion_proof``), and that tree's root, so that no leaf need be kept."""
        self.prefix_roots.setdefault(size, b"")
        self.inclusion = merkle.RangeRoots(merkle.inclusion_ranges(index, size))

    def inclusion_proof(self) -> list[bytes]:
        """The path prepared by ``including``, once the scan has read its tree's leaves."""
        assert self.inclusion is not None, "Scan.including comes before the scan"
        return self.inclusion.proof()

    def add(self, leaf: bytes) -> None:
        index = self.frontier.size
        if index == 0:
            self.first_leaf = leaf
        if self.keep_leaves:
            self.leaves.append(leaf)
        self.frontier.add(leaf)
        for proof in self.proofs.values():
            proof.add(index, leaf)
        if self.inclusion is not None:
            self.inclusion.add(index, leaf)
        if index + 1 in self.prefix_roots:
            self.prefix_roots[index + 1] = self.frontier.root()

    @property
    def size(self) -> int:
        return self.frontier.size

    @property
    def root(self) -> bytes:
        return self.frontier.root()

    @property
    def origin(self) -> str | None:
        return origin_of(self.first_leaf) if self.first_leaf is not None else None

    def root_at(self, size: int) -> bytes:
        """The root of the first ``size`` leaves."""
        if self.prefix_roots.get(size):
            return self.prefix_roots[size]
        return merkle.root(self._kept(size))

    def consistency_proof(self, old_size: int) -> list[bytes]:
        """PROOF(old_size, D[size]) of this log."""
        if old_size in self.proofs:
            return self.proofs[old_size].proof()
        return merkle.consistency_proof(old_size, self._kept(self.size))

    def form_at(self, position: int) -> int:
        return V2 if self.v2_from is not None and position >= self.v2_from else V1

    def _kept(self, size: int) -> list[bytes]:
        if not self.keep_leaves:
            raise ValueError(f"size {size} was not expected before the scan (Scan.expecting)")
        return self.leaves[:size]


def scan(
    ledger: Ledger,
    progress: Progress | None = None,
    *,
    keep_leaves: bool = True,
    checkpoint_sizes: list[int] | None = None,
    inclusion: tuple[int, int] | None = None,
) -> Scan:
    """Recompute leaves and chain; note the first gap and the first broken link.

    The hot loop of `diplo verify`: plain tuples and hashlib calls per row. Rows are taken
    as v1 until the first row whose link only the v2 leaf reproduces; from there on, v2 only.
    Without ``keep_leaves`` the log is read up to the head it had when the scan began (the
    consistency proofs of ``checkpoint_sizes`` are built for that size) in flat memory; so is
    the inclusion proof of ``inclusion`` (a leaf's index, a tree size up to that head).
    """
    total = ledger.head()
    result = Scan(keep_leaves=keep_leaves)
    stop = None if keep_leaves else total
    if checkpoint_sizes and not keep_leaves:
        result.expecting(total, checkpoint_sizes)
    if inclusion is not None and inclusion[1] <= total:
        result.including(*inclusion)
    marks, chain, legacy = result.marks, GENESIS, True
    after = 0
    while True:
        limit = PAGE if stop is None else min(PAGE, stop - after)
        page = ledger.recorder.scan_page(after, limit) if limit > 0 else []
        for row in page:
            position, stream, version, topic, state, stored, key, content = row
            if position != result.size + 1:
                expected = result.size + 1
                result.problems.append(missing(expected, position))
                result.chain = chain
                return result
            if not isinstance(state, bytes):
                state = str(state).encode()  # a tampered row may hold text: hash it, not crash
            if legacy:
                digest, chain, legacy = _legacy_row(result, chain, (*row[:4], state, *row[5:]))
            else:
                digest = leaf_v2_hash(position, stream, version, topic, key, content, state)
                chain = link(chain, digest)
                if stored != chain.hex() and not result.problems:
                    result.problems.append(_broken(position, key, state))
            result.add(digest)
            if position % MARK == 0:
                marks.append(chain.hex())
        if progress and page:
            progress(result.size, total)
        if len(page) < limit or limit <= 0:
            result.chain = chain
            return result
        after = page[-1][0]


def _legacy_row(result: Scan, previous: bytes, row: tuple[Any, ...]) -> tuple[bytes, bytes, bool]:
    """A row while v1 rows may still come: (leaf hash, link, are we still in the v1 rows)."""
    position, stream, version, topic, state, stored, key, content = row
    old = leaf_hash(leaf_v1(stream, version, topic, state))
    old_link = link(previous, old)
    if old_link.hex() == stored:
        if not legacy_labels_hold(key, content, state) and not result.problems:
            result.problems.append(
                f"position {position}: its key or content-hash column is not the stored "
                "event's (the row was relabelled: keys or hashes swapped or edited)"
            )
        return old, old_link, True
    new = leaf_v2_hash(position, stream, version, topic, key, content, state)
    new_link = link(previous, new)
    if new_link.hex() == stored:
        result.v2_from = position
        return new, new_link, False
    if not result.problems:
        result.problems.append(_broken(position, key, state))
    return old, old_link, True


def _broken(position: int, key: Any, state: bytes) -> str:
    """Name what is wrong at the first broken link, as precisely as the row allows."""
    named = stored_key(state)
    if named is not None and named != key:
        return (
            f"position {position}: its key column says {key!r} but the stored event is "
            f"{named!r} (the row was relabelled: keys swapped or edited)"
        )
    return (
        f"position {position}: the stored event does not match the hash chain (its bytes, key "
        "or content hash were altered, or rows were reordered)"
    )


def sqlite_damage(path: str) -> str | None:
    """What is damaged in a SQLite store file (None when its b-trees are sound).

    ``PRAGMA quick_check`` reads every page of every table and index (~0.6 s for 100,000
    events): a damaged index passes the chain yet can make a key resolve wrongly or a write
    fail. Its own read-only connection, because a damaged file may not open as a ledger.
    Only SQLITE_CORRUPT counts: a file that is no database or is locked is for the opener.
    """
    import sqlite3
    from contextlib import closing
    from pathlib import Path

    location = Path(path)
    if not location.is_file():
        return None
    try:
        with closing(sqlite3.connect(f"{location.absolute().as_uri()}?mode=ro", uri=True)) as db:
            found = db.execute("PRAGMA quick_check(1)").fetchone()
    except sqlite3.DatabaseError as error:
        return str(error) if error.sqlite_errorcode == sqlite3.SQLITE_CORRUPT else None
    return None if found and found[0] == "ok" else str(found[0] if found else "no answer")


def seal(ledger: Ledger, key: Ed25519PrivateKey) -> NoteCheckpoint:
    """A signed checkpoint of the head; refuses to seal a log that does not verify."""
    result = scan(ledger, keep_leaves=False)
    if result.problems:
        raise IntegrityFailure(result.problems[0])
    if result.origin is None:
        raise StoreError("nothing to seal: the ledger is empty (a log is named by its first event)")
    return NoteCheckpoint.create(result.origin, result.size, result.root, key)


def against(result: Scan, checkpoint: Checkpoint) -> list[str]:
    """Why the recomputed log does not extend ``checkpoint`` (empty when it does). Its
    signature is checked apart (``checkpoint.signature_problem``)."""
    if result.size < checkpoint.size:
        return [
            f"position {result.size + 1}: missing — the checkpoint sealed {checkpoint.size} "
            f"events, the store holds {result.size} (the log was truncated)"
        ]
    if checkpoint.origin is not None and checkpoint.origin != result.origin:
        return [
            f"checkpoint: it is of the log {checkpoint.origin}, this ledger is {result.origin} "
            "(another ledger, or its first event was rewritten)"
        ]
    for number, (sealed, now) in enumerate(zip(checkpoint.marks, result.marks, strict=False), 1):
        if sealed != now:
            first = (number - 1) * MARK + 1
            return [
                f"positions {first}–{number * MARK}: no longer match the checkpoint "
                "(the log was rewritten there, hash chain included)"
            ]
    old_root = result.root_at(checkpoint.size)
    if old_root.hex() != checkpoint.root_hex:
        first = len(checkpoint.marks) * MARK + 1
        return [
            f"positions {first}–{checkpoint.size}: no longer match the checkpoint "
            "(the log was rewritten there, hash chain included)"
        ]
    proof = result.consistency_proof(checkpoint.size)
    if not merkle.verify_consistency(checkpoint.size, result.size, old_root, result.root, proof):
        return ["consistency proof failed: the log does not extend the checkpoint"]
    return []
