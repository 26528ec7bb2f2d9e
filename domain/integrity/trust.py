"""What an auditor trusts a checkpoint for: the log's pinned key, a quorum of pinned witness
keys, and that no two checkpoints of one log disagree (equivocation).

Checked on the checkpoints alone, before any store is read: a split view is visible in the
signed statements themselves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from diplo.domain.integrity.checkpoint import (
    Checkpoint,
    NoteCheckpoint,
    equivocations,
    signature_problem,
)
from diplo.domain.integrity.note import COSIGNATURE, NoteError, Verifier
from diplo.domain.integrity.sealing import KeyFileError

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


def load_witnesses(path: Path) -> list[Verifier]:
    """Witness vkeys, one per line (``#`` starts a comment); KeyFileError names the line."""
    try:
        lines = path.read_text().splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise KeyFileError(f"cannot read {path}: {error}") from None
    found: dict[str, Verifier] = {}
    for number, line in enumerate(lines, 1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        try:
            witness = Verifier.from_vkey(text)
        except NoteError as error:
            raise KeyFileError(f"{path}, line {number}: not a witness vkey: {error}") from None
        if witness.kind != COSIGNATURE:
            raise KeyFileError(f"{path}, line {number}: a log key, not a witness (cosigner) key")
        if witness.name in found:
            raise KeyFileError(f"{path}, line {number}: witness {witness.name} is listed twice")
        found[witness.name] = witness
    if not found:
        raise KeyFileError(f"{path} lists no witness key")
    return list(found.values())


@dataclass
class Policy:
    pinned: Ed25519PublicKey | None
    witnesses: list[Verifier] = field(default_factory=list)
    quorum: int = 0

    def problems(self, checkpoints: list[tuple[str, Checkpoint]]) -> list[str]:
        """Why these checkpoints are not to be trusted (empty when they are)."""
        found = equivocations(checkpoints)
        for name, checkpoint in checkpoints:
            problem = signature_problem(checkpoint, self.pinned)
            if problem:
                found.append(f"{name}: {problem}")
            elif self.witnesses:
                found += self._quorum(name, checkpoint)
        return found

    def _quorum(self, name: str, checkpoint: Checkpoint) -> list[str]:
        if not isinstance(checkpoint, NoteCheckpoint):
            return [f"{name}: a 0.1 JSON checkpoint carries no witness cosignatures"]
        good, bad = checkpoint.cosigners(self.witnesses)
        if bad:
            return [
                f"{name}: the cosignature of witness {bad[0]} does not hold (the checkpoint was "
                "changed after it was cosigned)"
            ]
        if len(good) < self.quorum:
            missing = [w.name for w in self.witnesses if w.name not in good]
            return [
                f"{name}: cosigned by {len(good)} of the {self.quorum} witnesses required "
                f"(missing: {', '.join(missing)}); a log seen by fewer witnesses may be showing "
                "others another history"
            ]
        return []
