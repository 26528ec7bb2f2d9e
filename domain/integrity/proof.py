"""Inclusion proofs that prove what they name: the key in a proof must be the key inside the
proven leaf (and, for a v2 leaf, the position too), so a proof of one event relabelled with
another's key is refused, not reported as "included".

A proof is read as untrusted input: every field is type-checked and bounded before any
hashing, and anything malformed is a one-line ``ProofError``.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from diplo.domain.errors import IntegrityFailure, UnknownEvent
from diplo.domain.integrity import chain, merkle
from diplo.domain.integrity.checkpoint import Checkpoint, NoteCheckpoint
from diplo.domain.integrity.note import NoteError
from diplo.domain.integrity.sealing import JsonCheckpoint
from diplo.domain.integrity.verify import scan

if TYPE_CHECKING:
    from diplo.domain.app.ledger import Ledger

MAX_PROOF = 64 << 20  # bytes of a proof file
MAX_LEAF = 16 << 20  # bytes of one leaf
MAX_PATH = 64  # hashes: a tree of 2^64 leaves needs no more
MAX_SIZE = (1 << 63) - 1
_HEX = re.compile("[0-9a-fA-F]*")


class ProofError(ValueError):
    """A proof that cannot be read, or that does not prove what it names."""


@dataclass
class InclusionProof:
    key: str
    position: int
    leaf: str  # the stored event's leaf bytes, hex: the verifier sees what it proves
    size: int
    root: str
    path: list[str]
    checkpoint: str | dict[str, object] | None = None  # a signed note, or a 0.1 JSON one

    def dumps(self) -> str:
        return json.dumps(asdict(self), indent=2, sort_keys=True) + "\n"

    @classmethod
    def loads(cls, text: str | bytes) -> InclusionProof:
        if len(text) > MAX_PROOF:
            raise ProofError(f"proof: larger than {MAX_PROOF >> 20} MiB")
        try:
            data = json.loads(text)
        except (ValueError, RecursionError) as error:
            raise ProofError(f"proof: not JSON ({str(error)[:80]})") from None
        if not isinstance(data, dict):
            raise ProofError("proof: not a JSON object")
        return cls(**_fields(data))

    def sealed(self) -> Checkpoint | None:
        """The checkpoint inside the proof, parsed (ProofError when malformed)."""
        try:
            if isinstance(self.checkpoint, str):
                return NoteCheckpoint.parse(self.checkpoint)
            if isinstance(self.checkpoint, dict):
                return JsonCheckpoint.from_dict(self.checkpoint)
        except (NoteError, ValueError) as error:
            raise ProofError(f"proof: its checkpoint is malformed: {error}") from None
        return None

    def problem(self) -> str | None:
        """Why this proof does not prove that its key is included (None when it does)."""
        data = bytes.fromhex(self.leaf)
        try:
            leaf = chain.parse(data)
        except ValueError as error:
            return f"proof: its leaf is not a stored diplo event ({error})"
        if leaf.key != self.key:
            return (
                f"proof: it is labelled {self.key!r} but proves the event {leaf.key!r} "
                "(a relabelled proof)"
            )
        if leaf.position is not None and leaf.position != self.position:
            return (
                f"proof: it says position {self.position} but its leaf is position "
                f"{leaf.position} (a relabelled proof)"
            )
        if not merkle.verify_inclusion(
            merkle.leaf_hash(data),
            self.position - 1,
            self.size,
            [bytes.fromhex(p) for p in self.path],
            bytes.fromhex(self.root),
        ):
            return (
                f"proof: event {self.key} is NOT included at position {self.position} of the "
                f"tree of size {self.size}"
            )
        return None


def _fields(data: dict[str, Any]) -> dict[str, Any]:
    """The proof's fields, checked for presence, type, form and size."""
    expected = {"key", "position", "leaf", "size", "root", "path", "checkpoint"}
    missing = expected - {"checkpoint"} - set(data)
    if missing:
        raise ProofError(f"proof: missing field(s) {', '.join(sorted(missing))}")
    if set(data) - expected:
        raise ProofError(f"proof: unknown field(s) {', '.join(sorted(set(data) - expected))}")
    if not isinstance(data["key"], str) or not data["key"]:
        raise ProofError("proof: key must be non-empty text")
    for name in ("position", "size"):
        value = data[name]
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= MAX_SIZE:
            raise ProofError(f"proof: {name} must be a whole number from 1 to 2^63-1")
    if data["position"] > data["size"]:
        raise ProofError("proof: position is beyond the tree size")
    _hex(data["leaf"], "leaf", None)
    _hex(data["root"], "root", 32)
    path = data["path"]
    if not isinstance(path, list) or len(path) > MAX_PATH:
        raise ProofError(f"proof: path must be a list of at most {MAX_PATH} hashes")
    for number, node in enumerate(path, 1):
        _hex(node, f"path[{number}]", 32)
    checkpoint = data.get("checkpoint")
    if checkpoint is not None and not isinstance(checkpoint, (str, dict)):
        raise ProofError("proof: checkpoint must be a signed note (text) or a JSON object")
    return data


def _hex(value: Any, name: str, size: int | None) -> None:
    if not isinstance(value, str):
        raise ProofError(f"proof: {name} must be hex text")
    if size is None and len(value) > 2 * MAX_LEAF:
        raise ProofError(f"proof: {name} is larger than {MAX_LEAF >> 20} MiB")
    if len(value) % 2 or not _HEX.fullmatch(value):
        raise ProofError(f"proof: {name} is not hex")
    raw = bytes.fromhex(value)
    if size is not None and len(raw) != size:
        raise ProofError(f"proof: {name} must be {size} bytes (hex)")


def prove(ledger: Ledger, key: str, checkpoint: Checkpoint | None = None) -> InclusionProof:
    """An inclusion proof of the event ``key`` in the current tree or a sealed one; refuses
    when the log does not verify, or does not hold at the checkpoint what it sealed."""
    found = ledger.recorder.select_keys([key]).get(key)
    if found is None:
        raise UnknownEvent(f"key: no event with key {key!r}")
    size = checkpoint.size if checkpoint else ledger.head()  # the scan reads at least this far
    if found.position > size:
        raise UnknownEvent(f"key: {key!r} was recorded after the checkpoint (size {size})")
    # The path and the root are built as the leaves stream past: none is kept.
    result = scan(ledger, keep_leaves=False, inclusion=(found.position - 1, size))
    if result.problems:
        raise IntegrityFailure(result.problems[0])
    # A checkpoint of more events than the store holds has no root to compare here.
    root = result.root_at(size) if size <= result.size else None
    if root is None or (checkpoint is not None and root.hex() != checkpoint.root_hex):
        raise IntegrityFailure(
            f"checkpoint: the store no longer holds what it sealed at size {size}"
        )
    position, stream, version, topic, state, _, stored_key, content = ledger.recorder.scan_page(
        found.position - 1, 1
    )[0]
    data = chain.leaf(
        result.form_at(position), position, stream, version, topic, stored_key, content, state
    )
    if chain.parse(data).key != key:
        raise IntegrityFailure(f"position {position}: the key {key!r} labels another event")
    embedded: str | dict[str, object] | None = None
    if isinstance(checkpoint, NoteCheckpoint):
        embedded = checkpoint.dumps()
    elif isinstance(checkpoint, JsonCheckpoint):
        embedded = asdict(checkpoint)
    path = [p.hex() for p in result.inclusion_proof()]
    return InclusionProof(key, position, data.hex(), size, root.hex(), path, embedded)
