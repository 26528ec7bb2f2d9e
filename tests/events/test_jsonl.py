"""Import files: every refusal says which line and why; hostile bytes never crash the reader."""

from __future__ import annotations

import io
import json

import pytest

from diplo.events.errors import InvalidEvent
from diplo.events.jsonl import MAX_LINE_BYTES, read_jsonl
from tests.conftest import GRANT, ORG


def read(data: bytes) -> list[object]:
    return list(read_jsonl(io.BytesIO(data), "f.jsonl"))


def test_blank_lines_are_skipped_and_line_numbers_kept() -> None:
    data = (json.dumps(ORG) + "\n\n" + json.dumps(GRANT) + "\n").encode()
    assert [line for line, _ in read(data)] == [1, 3]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"{not json}\n", "f.jsonl:2: invalid JSON"),
        (b"[1, 2]\n", "f.jsonl:2: expected a JSON object, got an array"),
        (b'{"type": "OrganizationRegistered", "name": "\xff"}', "not valid UTF-8"),
        (b'{"type": "X", "type": "Y"}', "appears twice"),
        (b'{"type": "MeetingHeld", "n": NaN}', "NaN is not a number JSON allows"),
        (b"[" * 100000 + b"]" * 100000, "invalid JSON|nested"),
        (b'{"a":' * 30 + b"1" + b"}" * 30, "nested deeper"),
        (b'{"n": ' + b"9" * 5000 + b"}", "invalid JSON"),
        (b"x" * (MAX_LINE_BYTES + 10), "longer than 1 MiB"),
    ],
)
def test_hostile_lines_are_refused_with_their_location(data: bytes, message: str) -> None:
    with pytest.raises(InvalidEvent, match=message):
        read(json.dumps(ORG).encode() + b"\n" + data)


def test_a_byte_order_mark_is_refused_rather_than_silently_dropped() -> None:
    with pytest.raises(InvalidEvent, match="f.jsonl:1: file starts with a byte-order mark"):
        read(b"\xef\xbb\xbf" + json.dumps(ORG).encode())
