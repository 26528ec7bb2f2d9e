"""The hash chain: what one stored event commits to (its leaf), and how each row links to the
row before it. The one definition used by both recorders' insert paths, by verify, by proofs
and by migration, so that what is written and what is checked cannot drift apart.

Two leaf formats exist, and a stored row keeps the one it was written with (its bytes are
under the chain, so they can never change):

- **v1** (diplo 0.1): ``diplo-leaf-v1\\n{stream}\\n{version}\\n{topic}\\n`` then the stored
  state. It does not cover the row's key and content-hash columns, nor its position.
- **v2** (every row written since): ``diplo-leaf-v2\\n`` then seven fields, each written as
  ``<length in bytes>:<bytes>\\n``: position, stream, version, topic, key, content hash,
  state. Everything that names the event is under the hash, and the length prefixes make the
  encoding unambiguous (no choice of key or topic text can shift bytes into another field).

Which rows are v1 is read from the chain itself; no marker is stored. A row's link is
``SHA-256(previous link || leaf hash)`` and each format's leaf starts with its own tag, so a
row's link under v1 and under v2 differ: the format of a row is the one whose link
reproduces its stored chain value. Formats only move forward: a ledger written by diplo 0.1
is v1 up to its last old row and v2 from the first row written since; a v1 row after a v2
row is a break (a downgrade). Editing any column of a row makes its link match neither
format. A v1 leaf does not hold the key and content-hash columns, so for v1 rows verify
also checks both against the hashed state: the fact stored there holds its key, and its
content hash is recomputed from it (``legacy_labels_hold``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import orjson

from diplo.domain.integrity.merkle import leaf_hash
from diplo.events.canonical import canonical_json

GENESIS = bytes(32)  # the link "before" position 1
V1, V2 = 1, 2
CURRENT = V2
TAG_V1 = b"diplo-leaf-v1\n"
TAG_V2 = b"diplo-leaf-v2\n"
_V1_HEADER = "diplo-leaf-v1\n{}\n{}\n{}\n"
_V2_HEADER = b"diplo-leaf-v2\n%d:%b\n%d:%b\n%d:%b\n%d:%b\n%d:%b\n%d:%b\n"
# left out of a content hash (0.1 had no reported_by; new rows forced to v1 do)
_V1_NON_CONTENT = ("key", "recorded_by", "reported_by")
_sha256 = hashlib.sha256


def leaf_v1(stream: str, version: Any, topic: Any, state: bytes) -> bytes:
    """The v1 leaf (diplo 0.1): stream, version, type and stored bytes; no key, no position."""
    return _V1_HEADER.format(stream, version, topic).encode() + state


def leaf_v2(
    position: int, stream: str, version: Any, topic: Any, key: Any, content: Any, state: bytes
) -> bytes:
    """The v2 leaf: every column that names the event, each length-prefixed, state last."""
    return _v2_head(position, stream, version, topic, key, content, len(state)) + state + b"\n"


def leaf_v2_hash(
    position: int, stream: str, version: Any, topic: Any, key: Any, content: Any, state: bytes
) -> bytes:
    """``merkle.leaf_hash(leaf_v2(...))`` without copying the state: verify's hot path."""
    digest = _sha256(b"\x00" + _v2_head(position, stream, version, topic, key, content, len(state)))
    digest.update(state)
    digest.update(b"\n")
    return digest.digest()


def _v2_head(
    position: int, stream: str, version: Any, topic: Any, key: Any, content: Any, size: int
) -> bytes:
    """Everything of a v2 leaf before the state bytes.

    Columns are turned into text with ``str`` (a tampered SQLite row may hold any type: it
    must hash, and fail the chain, not crash the verifier). One f-string and one encode when
    the text is ASCII (then lengths in characters are lengths in bytes)."""
    p, s, v, t, k, c = str(position), str(stream), str(version), str(topic), str(key), str(content)
    head = (
        f"diplo-leaf-v2\n{len(p)}:{p}\n{len(s)}:{s}\n{len(v)}:{v}\n{len(t)}:{t}\n"
        f"{len(k)}:{k}\n{len(c)}:{c}\n{size}:"
    )
    if head.isascii():
        return head.encode()
    fields = [field.encode() for field in (p, s, v, t, k, c)]
    lengths = [len(field) for field in fields]
    pairs = tuple(x for pair in zip(lengths, fields, strict=True) for x in pair)
    return _V2_HEADER % pairs + b"%d:" % size


def leaf(
    form: int,
    position: int,
    stream: str,
    version: Any,
    topic: Any,
    key: Any,
    content: Any,
    state: bytes,
) -> bytes:
    """The leaf of one row in the given format."""
    if form == V1:
        return leaf_v1(stream, version, topic, state)
    return leaf_v2(position, stream, version, topic, key, content, state)


def link(previous: bytes, leaf_digest: bytes) -> bytes:
    """THE hash-chain link: SHA-256(previous link || leaf hash), the leaf hashed as in the
    Merkle tree (``merkle.leaf_hash``). Each row commits to every row before it."""
    return _sha256(previous + leaf_digest).digest()


def next_link(previous: bytes, leaf_bytes: bytes) -> bytes:
    """The link of a row from its leaf bytes: what the recorders store in ``chain``."""
    return link(previous, leaf_hash(leaf_bytes))


def new_link(
    previous: bytes,
    position: int,
    stream: str,
    version: int,
    topic: str,
    key: str,
    content: str,
    state: bytes,
) -> bytes:
    """``link(previous, leaf_v2_hash(...))`` of a new row, its columns as a recorder writes
    them (texts and integers): the same bytes, in one call, for an import writes every row
    through it (tests/domain/test_chain_links.py)."""
    p, v = str(position), str(version)
    head = (
        f"diplo-leaf-v2\n{len(p)}:{p}\n{len(stream)}:{stream}\n{len(v)}:{v}\n"
        f"{len(topic)}:{topic}\n{len(key)}:{key}\n{len(content)}:{content}\n{len(state)}:"
    )
    if not head.isascii():  # lengths are of the UTF-8 bytes: the general way counts them
        return link(previous, leaf_v2_hash(position, stream, version, topic, key, content, state))
    digest = _sha256(b"\x00" + head.encode())
    digest.update(state)
    digest.update(b"\n")
    return _sha256(previous + digest.digest()).digest()


def event_link(previous: bytes, position: int, event: Any, stream: str | None = None) -> bytes:
    """The link of a stored event about to be written at ``position`` (a ``KeyedStoredEvent``:
    new events are v2, hashed without copying their state; a migrated one keeps its
    ``leaf_format``). ``stream``: its ``originator_id.hex``, if the caller has it already."""
    columns = (
        position,
        event.originator_id.hex if stream is None else stream,
        event.originator_version,
        event.topic,
        event.key,
        event.content_hash,
        event.state,
    )
    if event.leaf_format == V2:
        return link(previous, leaf_v2_hash(*columns))
    return next_link(previous, leaf(event.leaf_format, *columns))


def form_of(previous: bytes, stored: str, row: tuple[Any, ...]) -> int | None:
    """The leaf format whose link from ``previous`` reproduces a row's ``stored`` chain value
    (None: neither does, the row is broken). ``row``: position, stream, version, topic, key,
    content hash, state."""
    for form in (V2, V1):
        if next_link(previous, leaf(form, *row)).hex() == stored:
            return form
    return None


def legacy_labels_hold(key: Any, content: Any, state: bytes) -> bool:
    """For a v1 row: do its key and content-hash columns agree with its (hashed) state?

    The stored fact holds its own key; its content hash is SHA-256 of its canonical JSON
    without ``key`` and ``recorded_by`` (as diplo 0.1 computed it). orjson reads it (4x the
    standard library here), the standard library what orjson refuses (integers over 64 bits).
    """
    try:
        try:
            fact = orjson.loads(state)["fact"]
        except orjson.JSONDecodeError:
            fact = json.loads(state)["fact"]
        if fact.get("key") != key:
            return False
        body = {name: value for name, value in fact.items() if name not in _V1_NON_CONTENT}
    except (ValueError, KeyError, TypeError, AttributeError):
        return False
    return _sha256(canonical_json(body)).hexdigest() == content


def missing(expected: int, found: int) -> str:
    """The message for a log that skips ``expected``: positions are given as head + 1, so a
    gap is a row deleted."""
    return (
        f"position {expected}: missing — the log jumps from {expected - 1} to {found} "
        "(a row was deleted)"
    )


def holes(start: int, positions: Sequence[int]) -> str | None:
    """The message for the first position missing from ``positions`` (a page of the log read
    in order from ``start``, whole), or None if none is: a reader of the log stops there
    rather than show a log with a hole. (Positions are distinct and ordered: if both ends are
    where they should be, every one between is.)"""
    if not positions or (positions[0] == start and positions[-1] - start == len(positions) - 1):
        return None
    for expected, position in enumerate(positions, start):
        if position != expected:
            return missing(expected, position)
    return None


def relabelled(position: int, key: str, named: Any) -> str:
    """The message for a row whose key column names another event than the one it holds."""
    return (
        f"position {position}: the key {key!r} labels the stored event {named!r} (the row was "
        "relabelled); `diplo verify` names every such row"
    )


@dataclass(frozen=True)
class Leaf:
    """A leaf read back: what an inclusion proof's leaf says about the event it proves."""

    form: int
    key: str
    position: int | None  # v1 leaves do not hold their position
    state: bytes


def parse(data: bytes) -> Leaf:
    """Read a leaf's fields; ValueError when it is not a well-formed v1 or v2 leaf."""
    if data.startswith(TAG_V2):
        fields, rest = [], memoryview(data)[len(TAG_V2) :]
        for _ in range(7):
            length, colon, _tail = bytes(rest[:21]).partition(b":")
            if not colon or not length.isdigit() or len(length) > 20:
                raise ValueError("a v2 leaf field lacks its length")
            start = len(length) + 1
            end = start + int(length)
            if end >= len(rest) or rest[end] != 0x0A:
                raise ValueError("a v2 leaf field is cut short")
            fields.append(bytes(rest[start:end]))
            rest = rest[end + 1 :]
        if len(rest):
            raise ValueError("a v2 leaf has bytes after its last field")
        position = fields[0].decode("ascii")
        if not position.isdigit():
            raise ValueError("a v2 leaf's position is not a number")
        state = fields[6]
        _check_state_key(state, fields[4].decode())
        return Leaf(V2, fields[4].decode(), int(position), state)
    if data.startswith(TAG_V1):
        parts = data[len(TAG_V1) :].split(b"\n", 3)
        if len(parts) != 4:
            raise ValueError("a v1 leaf lacks its header lines")
        return Leaf(V1, _state_key(parts[3]), None, parts[3])
    raise ValueError("not a diplo leaf (no diplo-leaf-v1 or -v2 tag)")


def stored_key(state: bytes) -> str | None:
    """The key inside stored state bytes (None when they hold no readable key)."""
    try:
        key = json.loads(state)["fact"]["key"]
    except (ValueError, KeyError, TypeError):
        return None
    return key if isinstance(key, str) else None


def _state_key(state: bytes) -> str:
    key = stored_key(state)
    if key is None:
        raise ValueError("the leaf's stored event cannot be read, or has no key")
    return key


def _check_state_key(state: bytes, key: str) -> None:
    if _state_key(state) != key:
        raise ValueError("the leaf's key field and its stored event's key differ")
