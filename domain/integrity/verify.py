"""Tamper evidence: recompute the hash chain and the Merkle tree from the stored bytes.

The chain names the first altered, relabelled, reordered or missing position on its own; a
signed checkpoint also catches a rewrite that recomputed the chain, and truncation. Leaf
formats and how a row's format is known: ``chain.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

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
    stored_key,
)
from diplo.domain.integrity.checkpoint import Checkpoint, NoteCheckpoint, origin_of

if TYPE_CHECKING:
    from diplo.domain.app.ledger import Ledger

MARK = 1024  # a 0.1 checkpoint records the chain head every MARK positions
PAGE = 20_000
Progress = Callable[[int, int], None]
leaf_hash = merkle.leaf_hash


@dataclass
class Scan:
    """The log as recomputed: leaf hashes, chain heads at the marks, and what was wrong."""

    leaves: list[bytes] = field(default_factory=list)
    marks: list[str] = field(default_factory=list)
    chain: bytes = GENESIS
    problems: list[str] = field(default_factory=list)
    v2_from: int | None = None  # the first row written with the v2 leaf

    @property
    def size(self) -> int:
        return len(self.leaves)

    @property
    def origin(self) -> str | None:
        return origin_of(self.leaves[0]) if self.leaves else None

    def form_at(self, position: int) -> int:
        return V2 if self.v2_from is not None and position >= self.v2_from else V1


def scan(ledger: Ledger, progress: Progress | None = None) -> Scan:
    """Recompute leaves and chain; note the first gap and the first broken link.

    The hot loop of `diplo verify`: plain tuples and hashlib calls per row. Rows are taken
    as v1 until the first row whose link only the v2 leaf reproduces; from there on, v2 only.
    """
    result, total = Scan(), ledger.head()
    leaves, marks, chain, legacy = result.leaves, result.marks, GENESIS, True
    after = 0
    while True:
        page = ledger.recorder.scan_page(after, PAGE)
        for row in page:
            position, stream, version, topic, state, stored, key, content = row
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
            if legacy:
                digest, chain, legacy = _legacy_row(result, chain, (*row[:4], state, *row[5:]))
            else:
                digest = leaf_v2_hash(position, stream, version, topic, key, content, state)
                chain = link(chain, digest)
                if stored != chain.hex() and not result.problems:
                    result.problems.append(_broken(position, key, state))
            leaves.append(digest)
            if position % MARK == 0:
                marks.append(chain.hex())
        if progress and page:
            progress(len(leaves), total)
        if len(page) < PAGE:
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
    result = scan(ledger)
    if result.problems:
        raise IntegrityFailure(result.problems[0])
    if result.origin is None:
        raise StoreError("nothing to seal: the ledger is empty (a log is named by its first event)")
    return NoteCheckpoint.create(result.origin, result.size, merkle.root(result.leaves), key)


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
    old_root = merkle.root(result.leaves[: checkpoint.size])
    if old_root.hex() != checkpoint.root_hex:
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
