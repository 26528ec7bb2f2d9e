"""Signed checkpoints: the size and Merkle root of the log at a moment, signed with Ed25519.

The private key is generated on first use in the user's config folder (or ``DIPLO_SEAL_KEY``),
not beside the store: whoever can rewrite the store should not also hold the key.
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from diplo.domain.errors import StoreError
from diplo.events.catalog import canonical_json

FORMAT = "diplo-checkpoint-v1"


def key_path() -> Path:
    configured = os.environ.get("DIPLO_SEAL_KEY")
    if configured:
        return Path(configured)
    base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "diplo" / "seal-key.pem"


def signing_key(path: Path | None = None) -> Ed25519PrivateKey:
    """The sealing key, generated (mode 0600) on first use."""
    path = path or key_path()
    if path.exists():
        loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(loaded, Ed25519PrivateKey):
            raise StoreError(f"{path} is not an Ed25519 private key")
        return loaded
    key = Ed25519PrivateKey.generate()
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(pem)
    return key


def public_pem(key: Ed25519PrivateKey) -> str:
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def _raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


@dataclass
class Checkpoint:
    """What a seal commits to. ``marks`` are chain heads every ``MARK`` positions, so a later
    verify can say where a rewritten log first departs from the sealed one."""

    size: int
    root: str
    chain: str
    sealed_at: str
    marks: list[str] = field(default_factory=list)
    public_key: str = ""
    signature: str = ""
    format: str = FORMAT

    def payload(self) -> bytes:
        data = asdict(self)
        del data["signature"]
        return canonical_json(data)

    def sign(self, key: Ed25519PrivateKey) -> Checkpoint:
        self.public_key = base64.b64encode(_raw_public(key.public_key())).decode()
        self.signature = base64.b64encode(key.sign(self.payload())).decode()
        return self

    def signature_holds(self, pinned: str | None = None) -> bool:
        """True if signed by its own key (and that key is ``pinned``, a PEM, when given)."""
        try:
            key = Ed25519PublicKey.from_public_bytes(base64.b64decode(self.public_key))
            if pinned is not None:
                expected = serialization.load_pem_public_key(pinned.encode())
                if not isinstance(expected, Ed25519PublicKey) or (
                    _raw_public(expected) != _raw_public(key)
                ):
                    return False
            key.verify(base64.b64decode(self.signature), self.payload())
            return True
        except (InvalidSignature, ValueError, TypeError):
            return False

    def dumps(self) -> str:
        return json.dumps(asdict(self), indent=2, sort_keys=True) + "\n"

    @classmethod
    def loads(cls, text: str) -> Checkpoint:
        try:
            data: dict[str, Any] = json.loads(text)
            if data.get("format") != FORMAT:
                raise ValueError(f"not a {FORMAT} file")
            return cls(**data)
        except (ValueError, TypeError) as error:
            raise StoreError(f"checkpoint: cannot read it: {error}") from None
