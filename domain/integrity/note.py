"""C2SP signed notes (https://c2sp.org/signed-note) signed with Ed25519, and Ed25519 checkpoint
cosignatures (https://c2sp.org/tlog-cosignature).

The formats transparency-log tools and witnesses share, so a diplo checkpoint can be checked
by any of them and a witness needs no diplo-specific format. A note is UTF-8 text ending in a
newline, a blank line, then signature lines ``— <key name> <base64(key ID || signature)>``.
A key is known by its name and 4-byte ID, ``SHA-256(name || 0x0A || type || public key)[:4]``;
lines of unknown keys are ignored, and a line of a known key that fails to verify condemns
the whole note (the spec's SHOULD, taken as MUST here).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import struct
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

# cryptography is imported where a key is used: `verify` without checkpoints reads none.
if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import (
        Ed25519PrivateKey,
        Ed25519PublicKey,
    )

ED25519 = 0x01  # a log's signature on its checkpoint
COSIGNATURE = 0x04  # a witness's timestamped Ed25519 cosignature
DASH = "\u2014 "
MAX_NOTE = 1 << 20
MAX_SIGNATURES = 100
ABSENT, VALID, INVALID = "absent", "valid", "invalid"


class NoteError(ValueError):
    """Text that is not a well-formed signed note (or vkey)."""


def raw_public(key: Ed25519PublicKey) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(name: str, kind: int, public: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + bytes([kind]) + public).digest()[:4]


def b64decode(text: str, what: str) -> bytes:
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, ValueError, UnicodeEncodeError):
        raise NoteError(f"{what} is not base64") from None


def check_name(name: str) -> str:
    if not name or any(c.isspace() or c == "+" for c in name):
        raise NoteError(f"key name {name!r} is empty or holds a space or '+'")
    return name


@dataclass(frozen=True)
class Signature:
    name: str
    key_id: bytes
    data: bytes  # what follows the key ID: the signature (with its timestamp, if a cosignature)

    def line(self) -> str:
        return f"{DASH}{self.name} {base64.b64encode(self.key_id + self.data).decode()}\n"


@dataclass(frozen=True)
class Note:
    text: str  # the signed text, final newline included
    signatures: tuple[Signature, ...] = ()

    def dumps(self) -> str:
        return self.text + "\n" + "".join(s.line() for s in self.signatures)

    def with_signature(self, signature: Signature) -> Note:
        kept = [
            s for s in self.signatures if (s.name, s.key_id) != (signature.name, signature.key_id)
        ]
        return replace(self, signatures=(*kept, signature))


def parse(data: str | bytes) -> Note:
    """A signed note, checked for form (not for signatures)."""
    raw = data.encode() if isinstance(data, str) else data
    if len(raw) > MAX_NOTE:
        raise NoteError(f"larger than {MAX_NOTE} bytes")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise NoteError("not UTF-8") from None
    if any(ord(c) < 0x20 and c != "\n" for c in text):
        raise NoteError("holds a control character")
    split = text.rfind("\n\n")
    if split < 0:
        raise NoteError("no blank line before the signature lines")
    body, lines = text[: split + 1], text[split + 2 :]
    if not lines.endswith("\n"):
        raise NoteError("the last signature line does not end in a newline")
    signatures = tuple(_signature(line) for line in lines[:-1].split("\n"))
    if len(signatures) > MAX_SIGNATURES:
        raise NoteError(f"more than {MAX_SIGNATURES} signatures")
    return Note(body, signatures)


def _signature(line: str) -> Signature:
    if not line.startswith(DASH):
        raise NoteError(f"signature line {line[:40]!r} does not start with '— '")
    name, space, encoded = line[len(DASH) :].partition(" ")
    if not space:
        raise NoteError(f"signature line {line[:40]!r} has no signature")
    data = b64decode(encoded, "a signature")
    if len(data) < 5:
        raise NoteError("a signature is too short")
    return Signature(check_name(name), data[:4], data[4:])


@dataclass(frozen=True)
class Verifier:
    """A trusted key: its name, signature type and Ed25519 public key (a C2SP vkey)."""

    name: str
    kind: int
    public: bytes

    @property
    def key_id(self) -> bytes:
        return key_id(self.name, self.kind, self.public)

    def vkey(self) -> str:
        encoded = base64.b64encode(bytes([self.kind]) + self.public).decode()
        return f"{self.name}+{self.key_id.hex()}+{encoded}"

    @classmethod
    def from_vkey(cls, text: str) -> Verifier:
        parts = text.strip().split("+", 2)
        if len(parts) != 3:
            raise NoteError("a vkey is <name>+<key id hex>+<base64(type || public key)>")
        name, hex_id, encoded = parts
        material = b64decode(encoded, "the vkey's key")
        if len(material) != 33 or material[0] not in (ED25519, COSIGNATURE):
            raise NoteError("the vkey is not an Ed25519 (0x01) or cosignature (0x04) key")
        verifier = cls(check_name(name), material[0], material[1:])
        if hex_id.lower() != verifier.key_id.hex():
            raise NoteError("the vkey's key id does not match its name and key")
        return verifier

    def check(self, note: Note) -> tuple[str, int | None]:
        """(ABSENT | VALID | INVALID, the cosignature's time): does this key sign ``note``?"""
        found = [s for s in note.signatures if (s.name, s.key_id) == (self.name, self.key_id)]
        if not found:
            return ABSENT, None
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

        key = Ed25519PublicKey.from_public_bytes(self.public)
        at = None
        for signature in found:
            message, signed = note.text.encode(), signature.data
            if self.kind == COSIGNATURE:
                if len(signed) != 72:
                    return INVALID, None
                (at,) = struct.unpack(">Q", signed[:8])
                if at >= 1 << 63:
                    return INVALID, None
                message, signed = _cosigned_message(at, note.text), signed[8:]
            try:
                key.verify(signed, message)
            except InvalidSignature:
                return INVALID, None
        return VALID, at


def _cosigned_message(timestamp: int, text: str) -> bytes:
    return f"cosignature/v1\ntime {timestamp}\n{text}".encode()


def sign(text: str, name: str, key: Ed25519PrivateKey) -> Signature:
    """The log's Ed25519 signature line over ``text``."""
    verifier = Verifier(check_name(name), ED25519, raw_public(key.public_key()))
    return Signature(name, verifier.key_id, key.sign(text.encode()))


def cosign(text: str, name: str, key: Ed25519PrivateKey, timestamp: int) -> Signature:
    """A witness's cosignature line over a checkpoint's ``text``, at ``timestamp``."""
    verifier = Verifier(check_name(name), COSIGNATURE, raw_public(key.public_key()))
    signed = key.sign(_cosigned_message(timestamp, text))
    return Signature(name, verifier.key_id, struct.pack(">Q", timestamp) + signed)
