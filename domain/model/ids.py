"""Deterministic stream ids: the same slug always names the same stream, in every store."""

from __future__ import annotations

from functools import lru_cache
from hashlib import sha1
from uuid import UUID, SafeUUID

NAMESPACE = UUID("5b0f7d2e-9a43-4c1e-8f0a-6d1c2b3a4e5f")

_NAMESPACE_BYTES = NAMESPACE.bytes
_KEEP = ~((0xC000 << 48) | (0xF000 << 64))  # all but the variant and version bits, set below
_VARIANT_VERSION = (0x8000 << 48) | (5 << 76)  # RFC 4122 variant, version 5 (SHA-1 of a name)


@lru_cache(maxsize=4096)
def stream_id(kind: str, slug: str) -> UUID:
    """The aggregate id of ``slug`` within ``kind`` (``grant``, ``org``…): ``uuid5(NAMESPACE,
    f"{kind}:{slug}")`` (tests/domain/test_ids.py)."""
    return number_uuid(stream_number(kind, slug))


@lru_cache(maxsize=16384)
def stream_number(kind: str, slug: str) -> int:
    """``stream_id(kind, slug).int``, worked out as ``uuid.uuid5`` does, without making the
    UUID: an import's reader works out the streams of every fact and of every id it names."""
    digest = sha1(_NAMESPACE_BYTES + f"{kind}:{slug}".encode()).digest()
    return int.from_bytes(digest[:16], "big") & _KEEP | _VARIANT_VERSION


def number_uuid(number: int) -> UUID:
    """``UUID(int=number)`` without its checks: the number came from a UUID. Its two slots
    are set through their descriptors (``UUID.__setattr__`` refuses, and ``object.__setattr__``
    costs twice as much): an import makes one per record it creates or changes."""
    new = _new(UUID)
    _set_int(new, number)
    _set_safe(new, _UNKNOWN)
    return new


_new = object.__new__
_set_int = UUID.__dict__["int"].__set__
_set_safe = UUID.__dict__["is_safe"].__set__
_UNKNOWN = SafeUUID.unknown
