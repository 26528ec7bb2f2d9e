"""A witness: an independent party that cosigns a log's checkpoints (C2SP tlog-cosignature),
but only a checkpoint that a consistency proof shows extends the last one it cosigned for
that log. A log that shows two parties two histories then cannot gather cosignatures on
both: each witness holds it to the one history it has seen.

The witness keeps its own state in its folder, apart from any ledger: ``key.pem`` (its
Ed25519 key, mode 0600), ``name``, and per log origin ``logs/<hash>.json`` holding the log's
pinned public key and the last checkpoint cosigned. ``evidence/`` keeps checkpoints that
contradict that state (proof that the log misbehaved). The check and the update happen under
one lock, so two requests cannot roll the state back (tlog-witness, add-checkpoint).
"""

from __future__ import annotations

import base64
import fcntl
import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from diplo.domain.errors import IntegrityFailure, StoreError
from diplo.domain.integrity import merkle, note
from diplo.domain.integrity.checkpoint import NoteCheckpoint
from diplo.domain.integrity.sealing import signing_key


@dataclass(frozen=True)
class Consistency:
    """A consistency proof from ``old`` leaves to the checkpoint's size (RFC 9162 2.1.4)."""

    old: int
    path: tuple[bytes, ...]

    def request(self, checkpoint: NoteCheckpoint) -> str:
        """The tlog-witness add-checkpoint body: old size, proof lines, blank, checkpoint."""
        lines = "".join(base64.b64encode(h).decode() + "\n" for h in self.path)
        return f"old {self.old}\n{lines}\n{checkpoint.dumps()}"


def parse_request(text: str) -> tuple[Consistency, NoteCheckpoint]:
    """An add-checkpoint body; NoteError (a ValueError) when malformed."""
    head, blank, rest = text.partition("\n\n")
    lines = head.split("\n")
    old = lines[0].removeprefix("old ")
    if not blank or old == lines[0] or not old.isdigit() or not old.isascii() or len(old) > 19:
        raise note.NoteError("a consistency request starts with 'old <size>', then proof lines")
    if len(lines) > 64:
        raise note.NoteError("more than 63 consistency proof lines")
    path = tuple(note.b64decode(line, "a proof line") for line in lines[1:])
    if any(len(h) != 32 for h in path):
        raise note.NoteError("a proof line is not a 32-byte hash")
    return Consistency(int(old), path), NoteCheckpoint.parse(rest)


@dataclass(frozen=True)
class LogState:
    origin: str
    log_key: bytes
    size: int
    root: bytes
    checkpoint: str


class Witness:
    def __init__(self, folder: Path) -> None:
        if not (folder / "key.pem").exists() or not (folder / "name").exists():
            raise StoreError(f"no witness in {folder}; create one with `diplo witness init`")
        self.folder = folder
        self.name = (folder / "name").read_text().strip()
        self.key = signing_key(folder / "key.pem")

    @classmethod
    def init(cls, folder: Path, name: str) -> Witness:
        if (folder / "key.pem").exists():
            raise StoreError(f"{folder} already holds a witness (its key is never replaced)")
        note.check_name(name)
        folder.mkdir(parents=True, exist_ok=True)
        signing_key(folder / "key.pem")
        (folder / "name").write_text(name + "\n")
        return cls(folder)

    @property
    def verifier(self) -> note.Verifier:
        return note.Verifier(self.name, note.COSIGNATURE, note.raw_public(self.key.public_key()))

    def last(self, origin: str) -> LogState | None:
        path = self._state_path(origin)
        if not path.exists():
            return None
        data = json.loads(path.read_text())
        return LogState(
            data["origin"],
            base64.b64decode(data["log_key"]),
            data["size"],
            base64.b64decode(data["root"]),
            data["checkpoint"],
        )

    def cosign(
        self,
        checkpoint: NoteCheckpoint,
        proof: Consistency | None,
        log_key: Ed25519PublicKey | None,
        now: int,
    ) -> NoteCheckpoint:
        """Cosign ``checkpoint`` if it extends what this witness last cosigned for its log."""
        with self._locked():
            state = self.last(checkpoint.origin)
            pinned = self._log_key(checkpoint.origin, state, log_key)
            if checkpoint.log_signature(pinned) != note.VALID:
                raise IntegrityFailure(
                    f"{checkpoint.origin}: the checkpoint is not signed by the log's key"
                )
            if state is not None:
                self._extends(state, checkpoint, proof)
            cosigned = checkpoint.cosigned(self.name, self.key, now)
            self._save(checkpoint, note.raw_public(pinned))
            return cosigned

    def _log_key(
        self, origin: str, state: LogState | None, given: Ed25519PublicKey | None
    ) -> Ed25519PublicKey:
        """The log's key: pinned at the first cosignature, never changed after."""
        if state is not None:
            if given is not None and note.raw_public(given) != state.log_key:
                raise IntegrityFailure(
                    f"{origin}: that is not the log key this witness pinned for it"
                )
            return Ed25519PublicKey.from_public_bytes(state.log_key)
        if given is None:
            raise StoreError(
                f"{origin}: this witness has not seen that log; give its public key (--log-key)"
            )
        for other in (self.folder / "logs").glob("*.json"):
            data = json.loads(other.read_text())
            if base64.b64decode(data["log_key"]) == note.raw_public(given):
                raise IntegrityFailure(
                    f"{origin}: that key already signs the log {data['origin']}; one key, one log "
                    "(a log that renames itself would escape its own history)"
                )
        return given

    def _extends(self, state: LogState, new: NoteCheckpoint, proof: Consistency | None) -> None:
        if new.size < state.size:
            raise IntegrityFailure(
                f"{new.origin}: the checkpoint of size {new.size} is behind the last one this "
                f"witness cosigned (size {state.size}): a rollback"
            )
        if new.size == state.size:
            if new.root != state.root:
                self._keep_evidence(state, new)
                raise IntegrityFailure(
                    f"equivocation: {new.origin} signed two different roots at size {new.size} "
                    f"(this witness cosigned {state.root.hex()[:16]}…, now {new.root.hex()[:16]}…)"
                )
            return
        if proof is None or proof.old != state.size:
            raise IntegrityFailure(
                f"{new.origin}: this witness last cosigned size {state.size}; it needs a "
                f"consistency proof from that size (old {state.size})"
            )
        if not merkle.verify_consistency(
            state.size, new.size, state.root, new.root, list(proof.path)
        ):
            self._keep_evidence(state, new)
            raise IntegrityFailure(
                f"{new.origin}: the checkpoint of size {new.size} does not extend the one this "
                f"witness cosigned at size {state.size}: the log rewrote its history, or shows "
                "others another one"
            )

    def _save(self, checkpoint: NoteCheckpoint, log_key: bytes) -> None:
        data = {
            "origin": checkpoint.origin,
            "log_key": base64.b64encode(log_key).decode(),
            "size": checkpoint.size,
            "root": base64.b64encode(checkpoint.root).decode(),
            "checkpoint": checkpoint.dumps(),
        }
        path = self._state_path(checkpoint.origin)
        path.parent.mkdir(exist_ok=True)
        _write_atomically(path, json.dumps(data, indent=2, sort_keys=True) + "\n")

    def _keep_evidence(self, state: LogState, new: NoteCheckpoint) -> None:
        folder = self.folder / "evidence"
        folder.mkdir(exist_ok=True)
        digest = hashlib.sha256(state.checkpoint.encode() + new.dumps().encode()).hexdigest()
        text = f"cosigned:\n{state.checkpoint}\npresented:\n{new.dumps()}"
        _write_atomically(folder / f"{digest[:16]}.txt", text)

    def _state_path(self, origin: str) -> Path:
        return self.folder / "logs" / f"{hashlib.sha256(origin.encode()).hexdigest()[:32]}.json"

    @contextmanager
    def _locked(self) -> Iterator[None]:
        with (self.folder / "lock").open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            yield


def _write_atomically(path: Path, text: str) -> None:
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    with temporary.open("w") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
