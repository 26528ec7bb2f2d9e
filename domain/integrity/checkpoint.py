"""Checkpoints as C2SP signed notes (https://c2sp.org/tlog-checkpoint): an origin line naming
the log, the tree size, the base64 Merkle root, then the log's Ed25519 signature and any
witnesses' cosignatures.

The origin of a diplo ledger is ``diplo/`` and the first 16 bytes (hex) of the leaf hash of
its first event: fixed by the ledger's own first row (which records when and what it was), so
it needs no configuration, survives migration between stores (rows are copied byte for
byte), and a checkpoint of one ledger cannot be passed off as another's. The log signs with
the origin as its key name, as the spec recommends.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import (
        Ed25519PrivateKey,
        Ed25519PublicKey,
    )

from diplo.domain.integrity import note
from diplo.domain.integrity.note import NoteError, Verifier
from diplo.domain.integrity.sealing import JsonCheckpoint

ORIGIN_PREFIX = "diplo/"


def origin_of(first_leaf_hash: bytes) -> str:
    return ORIGIN_PREFIX + first_leaf_hash[:16].hex()


@dataclass(frozen=True)
class NoteCheckpoint:
    origin: str
    size: int
    root: bytes
    note: note.Note

    marks = ()  # a note carries no chain marks: a rewrite is located to the sealed range

    @property
    def root_hex(self) -> str:
        return self.root.hex()

    def dumps(self) -> str:
        return self.note.dumps()

    @classmethod
    def create(cls, origin: str, size: int, root: bytes, key: Ed25519PrivateKey) -> NoteCheckpoint:
        text = f"{origin}\n{size}\n{base64.b64encode(root).decode()}\n"
        return cls(origin, size, root, note.Note(text, (note.sign(text, origin, key),)))

    @classmethod
    def parse(cls, text: str | bytes) -> NoteCheckpoint:
        """NoteError unless a signed note whose text is a well-formed checkpoint."""
        signed = note.parse(text)
        lines = signed.text[:-1].split("\n")
        if len(lines) < 3 or not all(lines):
            raise NoteError("a checkpoint is an origin, a size and a root hash, one per line")
        origin, size, root = lines[:3]
        if not size.isdigit() or not size.isascii() or (size != "0" and size.startswith("0")):
            raise NoteError(f"tree size {size[:30]!r} is not a decimal number")
        if len(size) > 19 or int(size) >= 1 << 63:
            raise NoteError("tree size is absurdly large")
        digest = note.b64decode(root, "the root hash")
        if len(digest) != 32:
            raise NoteError("the root hash is not 32 bytes")
        return cls(origin, int(size), digest, signed)

    def log_signature(self, key: Ed25519PublicKey) -> str:
        """ABSENT | VALID | INVALID: the log's signature by ``key`` (key name = origin)."""
        return Verifier(self.origin, note.ED25519, note.raw_public(key)).check(self.note)[0]

    def cosigners(self, witnesses: list[Verifier]) -> tuple[list[str], list[str]]:
        """(witnesses whose cosignature holds, witnesses whose cosignature does NOT hold)."""
        good, bad = [], []
        for witness in witnesses:
            outcome = witness.check(self.note)[0]
            if outcome == note.VALID:
                good.append(witness.name)
            elif outcome == note.INVALID:
                bad.append(witness.name)
        return good, bad

    def cosigned(self, name: str, key: Ed25519PrivateKey, timestamp: int) -> NoteCheckpoint:
        signature = note.cosign(self.note.text, name, key, timestamp)
        return NoteCheckpoint(
            self.origin, self.size, self.root, self.note.with_signature(signature)
        )


Checkpoint = NoteCheckpoint | JsonCheckpoint


def load(text: str) -> Checkpoint:
    """A checkpoint of either format; StoreError-free: NoteError/ValueError say why not."""
    if text.lstrip().startswith("{"):
        return JsonCheckpoint.loads(text)
    return NoteCheckpoint.parse(text)


def read(path: Path) -> Checkpoint:
    """A checkpoint file; ValueError (with the reason) when it cannot be one."""
    try:
        with path.open("rb") as handle:
            data = handle.read(note.MAX_NOTE + 1)
    except OSError as error:
        raise ValueError(f"cannot read {path}: {error.strerror}") from None
    if len(data) > note.MAX_NOTE:
        raise ValueError(f"{path} is larger than any checkpoint")
    try:
        return load(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise ValueError(f"{path} is not text") from None
    except Exception as error:  # a StoreError from the JSON format, a NoteError
        raise ValueError(f"{path}: {error}") from None


def signature_problem(checkpoint: Checkpoint, pinned: Ed25519PublicKey | None) -> str | None:
    """Why ``checkpoint`` is not signed by ``pinned`` (None when it is).

    A 0.1 JSON checkpoint with no pinned key is checked against the key it carries, as 0.1
    did; a note carries no key, so the caller must pin one."""
    if isinstance(checkpoint, JsonCheckpoint):
        if checkpoint.signature_holds(pinned):
            return None
        return "checkpoint: the signature does not hold (or is not by the pinned key)"
    assert pinned is not None, "a signed note needs a pinned key"
    outcome = checkpoint.log_signature(pinned)
    if outcome == note.VALID:
        return None
    if outcome == note.ABSENT:
        return (
            f"checkpoint: not signed by the pinned key (no signature of it on {checkpoint.origin})"
        )
    return "checkpoint: the signature does not hold (its text was changed after signing)"


def equivocations(checkpoints: list[tuple[str, Checkpoint]]) -> list[str]:
    """Pairs of signed checkpoints of one log that disagree at the same size.

    A log that shows two parties two histories cannot sign both at one size with one root:
    two valid signatures on different roots are proof that it equivocated."""
    seen: dict[tuple[str, int], tuple[str, str]] = {}
    found = []
    for name, checkpoint in checkpoints:
        if checkpoint.origin is None:
            continue  # a 0.1 checkpoint names no log: it is checked against the store alone
        slot = (checkpoint.origin, checkpoint.size)
        if slot in seen and seen[slot][1] != checkpoint.root_hex:
            first = seen[slot][0]
            found.append(
                f"equivocation: {first} and {name} are checkpoints of "
                f"{checkpoint.origin} at size {checkpoint.size} with different roots "
                f"({seen[slot][1][:16]}… and {checkpoint.root_hex[:16]}…): the log showed two "
                "histories"
            )
        seen.setdefault(slot, (name, checkpoint.root_hex))
    return found
