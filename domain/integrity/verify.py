"""Tamper evidence: recompute the hash chain and the Merkle tree from the stored bytes.

The chain names the first altered, reordered or missing position on its own; a signed
checkpoint also catches a rewrite that recomputed the chain, and truncation.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from diplo.domain.integrity import merkle
from diplo.domain.store.sqlite import GENESIS, LEAF_HEADER, leaf_bytes
from diplo.domain.integrity.sealing import Checkpoint

if TYPE_CHECKING:
    from diplo.domain.app.ledger import Ledger

MARK = 1024  # a checkpoint records the chain head every MARK positions
PAGE = 20_000
Progress = Callable[[int, int], None]


@dataclass
class Row:
    position: int
    originator_id: str
    version: int
    topic: str
    state: bytes
    chain: str

    def leaf(self) -> bytes:
        return leaf_bytes(self.originator_id, self.version, self.topic, self.state)


@dataclass
class Scan:
    """The log as recomputed: leaf hashes, chain heads at the marks, and what was wrong."""

    leaves: list[bytes] = field(default_factory=list)
    marks: list[str] = field(default_factory=list)
    chain: bytes = GENESIS
    problems: list[str] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.leaves)


def rows(ledger: Ledger) -> Iterator[Row]:
    """Every stored row in position order, straight from the table (no decoding)."""
    after = 0
    while True:
        page = ledger.recorder.scan_page(after, PAGE)
        for r in page:
            yield _row(r)
        if len(page) < PAGE:
            return
        after = page[-1][0]


def scan(ledger: Ledger, progress: Progress | None = None) -> Scan:
    """Recompute leaves and chain; note the first gap and the first broken link.

    The hot loop of `diplo verify`: plain tuples and hashlib calls, nothing else per row.
    """
    result, total, sha256, header = Scan(), ledger.head(), hashlib.sha256, LEAF_HEADER.format
    leaves, marks, chain = result.leaves, result.marks, GENESIS
    after = 0
    while True:
        page = ledger.recorder.scan_page(after, PAGE)
        for position, oid, version, topic, state, stored_chain, _, _ in page:
            if position != len(leaves) + 1:
                expected = len(leaves) + 1
                result.problems.append(
                    f"position {expected}: missing — the log jumps from {expected - 1} to "
                    f"{position} (a row was deleted)"
                )
                result.chain = chain
                return result
            if not isinstance(state, bytes):
                state = str(state).encode()  # a tampered row may hold text: hash it, not crash
            digest = sha256(b"\x00" + header(oid, version, topic).encode())  # = leaf_bytes
            digest.update(state)
            leaf = digest.digest()
            leaves.append(leaf)
            chain = sha256(chain + leaf).digest()
            if stored_chain != chain.hex() and not result.problems:
                result.problems.append(
                    f"position {position}: the stored event does not match the hash chain "
                    "(its bytes were altered, or rows were reordered)"
                )
            if position % MARK == 0:
                marks.append(chain.hex())
        if progress and page:
            progress(len(leaves), total)
        if len(page) < PAGE:
            result.chain = chain
            return result
        after = page[-1][0]


def _row_at(ledger: Ledger, position: int) -> Row:
    return _row(ledger.recorder.scan_page(position - 1, 1)[0])


def _row(r: Any) -> Row:
    """A row as stored; a tampered row may hold other types, which must hash, not crash."""
    state = r[4] if isinstance(r[4], bytes) else str(r[4]).encode()
    return Row(r[0], str(r[1]), r[2], str(r[3]), state, str(r[5]))


def seal(ledger: Ledger, key: object) -> Checkpoint:
    """A signed checkpoint of the head; refuses to seal a log that does not verify."""
    from diplo.domain.errors import IntegrityFailure

    result = scan(ledger)
    if result.problems:
        raise IntegrityFailure(result.problems[0])
    checkpoint = Checkpoint(
        size=result.size,
        root=merkle.root(result.leaves).hex(),
        chain=result.chain.hex(),
        marks=result.marks,
        sealed_at=datetime.now(UTC).isoformat(timespec="seconds"),
    )
    return checkpoint.sign(key)  # type: ignore[arg-type]


def against(result: Scan, checkpoint: Checkpoint, pinned: str | None = None) -> list[str]:
    """Why the recomputed log does not extend ``checkpoint`` (empty when it does)."""
    if not checkpoint.signature_holds(pinned):
        return ["checkpoint: the signature does not hold (or is not by the pinned key)"]
    if result.size < checkpoint.size:
        return [
            f"position {result.size + 1}: missing — the checkpoint sealed {checkpoint.size} "
            f"events, the store holds {result.size} (the log was truncated)"
        ]
    for number, (sealed, now) in enumerate(zip(checkpoint.marks, result.marks, strict=False), 1):
        if sealed != now:
            first = (number - 1) * MARK + 1
            return [
                f"positions {first}–{number * MARK}: no longer match the checkpoint "
                "(the log was rewritten there, hash chain included)"
            ]
    old_root = merkle.root(result.leaves[: checkpoint.size])
    if old_root.hex() != checkpoint.root:
        first = len(checkpoint.marks) * MARK + 1
        return [
            f"positions {first}–{checkpoint.size}: no longer match the checkpoint "
            "(the log was rewritten there, hash chain included)"
        ]
    proof = merkle.consistency_proof(checkpoint.size, result.leaves)
    if not merkle.verify_consistency(
        checkpoint.size, result.size, old_root, merkle.root(result.leaves), proof
    ):
        return ["consistency proof failed: the log does not extend the checkpoint"]
    return []


@dataclass
class InclusionProof:
    key: str
    position: int
    leaf: str  # the stored event's leaf bytes, hex: the verifier sees what it proves
    size: int
    root: str
    path: list[str]
    checkpoint: dict[str, object] | None = None

    def holds(self) -> bool:
        return merkle.verify_inclusion(
            merkle.leaf_hash(bytes.fromhex(self.leaf)),
            self.position - 1,
            self.size,
            [bytes.fromhex(p) for p in self.path],
            bytes.fromhex(self.root),
        )


def prove(ledger: Ledger, key: str, checkpoint: Checkpoint | None = None) -> InclusionProof:
    """An inclusion proof of the event ``key`` in the current tree or a sealed one."""
    from diplo.domain.errors import IntegrityFailure, UnknownEvent

    found = ledger.recorder.select_keys([key]).get(key)
    if found is None:
        raise UnknownEvent(f"key: no event with key {key!r}")
    result = scan(ledger)
    if result.problems:
        raise IntegrityFailure(result.problems[0])
    size = checkpoint.size if checkpoint else result.size
    if found.position > size:
        raise UnknownEvent(f"key: {key!r} was recorded after the checkpoint (size {size})")
    leaves = result.leaves[:size]
    row = _row_at(ledger, found.position)
    return InclusionProof(
        key,
        found.position,
        row.leaf().hex(),
        size,
        merkle.root(leaves).hex(),
        [p.hex() for p in merkle.inclusion_proof(found.position - 1, leaves)],
        vars(checkpoint) if checkpoint else None,
    )
