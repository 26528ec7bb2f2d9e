"""The sealing key, and the checkpoint format of diplo 0.1 (JSON), still read and verified.

The private key is generated on first use in the user's config folder (or ``DIPLO_SEAL_KEY``),
not beside the store: whoever can rewrite the store should not also hold the key. New
checkpoints are C2SP signed notes (``checkpoint.py``).
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

# cryptography is imported where a key is used: `verify` without checkpoints reads none.
if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import (
        Ed25519PrivateKey,
        Ed25519PublicKey,
    )

from diplo.domain.errors import StoreError
from diplo.events.canonical import canonical_json

FORMAT = "diplo-checkpoint-v1"


def key_path() -> Path:
    configured = os.environ.get("DIPLO_SEAL_KEY")
    if configured:
        return Path(configured)
    base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "diplo" / "seal-key.pem"


def signing_key(path: Path | None = None) -> Ed25519PrivateKey:
    """The sealing key, generated (mode 0600) on first use."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

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


def configured_key() -> Ed25519PublicKey | None:
    """The operator's public key, when a sealing key is configured (never creates one)."""
    path = key_path()
    if not path.exists():
        return None
    return signing_key(path).public_key()


class KeyFileError(ValueError):
    """A file given as a public key that holds no Ed25519 public key."""


def load_public_key(path: Path) -> Ed25519PublicKey:
    """An Ed25519 public key from a PEM file (`diplo seal --export-key`) or a C2SP vkey."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    from diplo.domain.integrity.note import ED25519, NoteError, Verifier

    try:
        data = path.read_bytes()[: 1 << 16]
    except OSError as error:
        raise KeyFileError(f"cannot read {path}: {error.strerror}") from None
    if b"PRIVATE KEY" in data:
        raise KeyFileError(f"{path} is a private key: give the public key (seal --export-key)")
    try:
        loaded = serialization.load_pem_public_key(data)
    except (ValueError, TypeError):
        try:
            verifier = Verifier.from_vkey(data.decode())
        except (NoteError, UnicodeDecodeError):
            raise KeyFileError(
                f"{path} is not an Ed25519 public key (expected PEM from `diplo seal "
                "--export-key`, or a vkey)"
            ) from None
        if verifier.kind != ED25519:
            raise KeyFileError(f"{path} is a witness key, not a log's signing key") from None
        return Ed25519PublicKey.from_public_bytes(verifier.public)
    if not isinstance(loaded, Ed25519PublicKey):
        raise KeyFileError(f"{path} is a public key, but not an Ed25519 one")
    return loaded


def public_pem(key: Ed25519PrivateKey) -> str:
    from cryptography.hazmat.primitives import serialization

    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def _raw_public(key: Ed25519PublicKey) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


@dataclass
class JsonCheckpoint:
    """A diplo 0.1 checkpoint. ``marks`` are chain heads every ``MARK`` positions, so a later
    verify can say where a rewritten log first departs from the sealed one. Its public key
    travels inside it: only a pinned key (``--public-key`` or the operator's) makes its
    signature mean anything."""

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

    origin = None  # it names no log

    @property
    def root_hex(self) -> str:
        return self.root

    def sign(self, key: Ed25519PrivateKey) -> JsonCheckpoint:
        self.public_key = base64.b64encode(_raw_public(key.public_key())).decode()
        self.signature = base64.b64encode(key.sign(self.payload())).decode()
        return self

    def signature_holds(self, pinned: Ed25519PublicKey | None = None) -> bool:
        """True if signed by its own key (and that key is ``pinned``, when given)."""
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

        try:
            key = Ed25519PublicKey.from_public_bytes(base64.b64decode(self.public_key))
            if pinned is not None and _raw_public(pinned) != _raw_public(key):
                return False
            key.verify(base64.b64decode(self.signature), self.payload())
            return True
        except (InvalidSignature, ValueError, TypeError):
            return False

    def dumps(self) -> str:
        return json.dumps(asdict(self), indent=2, sort_keys=True) + "\n"

    @classmethod
    def loads(cls, text: str) -> JsonCheckpoint:
        try:
            return cls.from_dict(json.loads(text))
        except ValueError as error:
            raise StoreError(f"checkpoint: cannot read it: {error}") from None

    @classmethod
    def from_dict(cls, data: Any) -> JsonCheckpoint:
        """ValueError unless ``data`` has exactly the fields of a 0.1 checkpoint, well typed."""
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError(f"not a {FORMAT} checkpoint")
        types = {"size": int, "root": str, "chain": str, "sealed_at": str, "marks": list}
        types |= {"public_key": str, "signature": str, "format": str}
        if set(data) != set(types) or any(
            not isinstance(data[name], kind) or isinstance(data[name], bool)
            for name, kind in types.items()
        ):
            raise ValueError("its fields are missing, extra or of the wrong type")
        if not all(isinstance(mark, str) for mark in data["marks"]):
            raise ValueError("its marks are not text")
        return cls(**data)
