"""Reading JSON Lines import files safely: streamed, bounded, and every refusal located."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO, Any

import orjson

from diplo.events.catalog import parse_fact
from diplo.events.envelope import Fact
from diplo.events.errors import InvalidEvent, Problem, Problems
from diplo.events.quick import quick_fact
from diplo.events.values import nfc

MAX_LINE_BYTES = 1 << 20  # one event never needs a megabyte; a longer line is refused unread
MAX_DEPTH = 20


def read_jsonl(
    stream: IO[bytes], source: str, problems: Problems | None = None
) -> Iterator[tuple[int, Fact]]:
    """Yield ``(line number, fact)`` for each non-blank line. A bad line raises, or, given
    ``problems``, is told there and skipped, so the whole file is checked in one run."""
    lineno = 0
    while True:
        raw = stream.readline(MAX_LINE_BYTES + 1)
        if not raw:
            return
        lineno += 1
        try:
            if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
                _skip_rest_of_line(stream)
                raise InvalidEvent([Problem("line is longer than 1 MiB; one event per line")])
            if raw.isspace():  # a blank line (readline gives no empty one before the end)
                continue
            yield lineno, fact_of_line(raw, first=lineno == 1)
        except InvalidEvent as error:
            if problems is None:
                raise error.located(source, lineno) from None
            problems.add(error.located(source, lineno).problems)


def _skip_rest_of_line(stream: IO[bytes]) -> None:
    """Read past the end of an overlong line a mebibyte at a time, never holding it whole."""
    while (rest := stream.readline(MAX_LINE_BYTES)) and not rest.endswith(b"\n"):
        pass


def fact_of_line(raw: bytes, *, first: bool = False) -> Fact:
    """The fact one line tells: a plain line is read and validated the quick way (see
    ``diplo.events.quick``), any other line, or one the quick way refuses, the careful way,
    which words every refusal."""
    data = plain_data(raw)
    if data is None:
        return parse_fact(parse_line(raw, first=first))
    fact = quick_fact(data)
    return parse_fact(data, normalized=True) if fact is None else fact


# 19 digits in a row: maybe an integer beyond 64 bits, which orjson reads as a float. Found by
# turning every digit into 0 and looking for 19 zeros: ten times as fast as a regex here. The
# same pass turns [ into {, so that one count tells the brackets.
_ZEROED = bytes.maketrans(b"123456789[", b"000000000{")
_LONG_DIGITS = b"0" * 19


def plain_data(raw: bytes) -> Any:
    """The JSON data of a plain line, its text in NFC, read by orjson (twice as fast as the
    standard library with our hooks), or None for a line that ``parse_line`` must read.

    Plain is what generated and exported files hold: no ``\\u`` escape, no integer beyond
    64 bits, few brackets, and no name given twice in an object. orjson keeps the last of two
    equal names silently, so they are counted: every ``:`` of a plain line is either in a
    string (and is written back) or follows a name (no byte of a multi-byte UTF-8 character
    is a ``:``), so writing the data back gives fewer only when a name was dropped. What
    orjson refuses (NaN, a byte-order mark, bytes that are not UTF-8, bad syntax) is left to
    ``parse_line`` to refuse in its words. An ASCII line is its own NFC.
    """
    if b"\\u" in raw:
        return None
    zeroed = raw.translate(_ZEROED)
    if zeroed.count(b"{") > MAX_DEPTH or _LONG_DIGITS in zeroed:
        return None
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None
    if orjson.dumps(data).count(b":") != raw.count(b":"):
        return None
    return data if raw.isascii() else nfc(data)


def parse_line(raw: bytes, *, first: bool = False) -> Any:
    """Decode one line into JSON data, refusing what JSON parsers usually let slip."""
    if first and raw.startswith(b"\xef\xbb\xbf"):
        raise InvalidEvent(
            [Problem("file starts with a byte-order mark; save it as UTF-8 without BOM")]
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InvalidEvent(
            [
                Problem(
                    f"not valid UTF-8 (byte {error.start + 1} of the line); "
                    "expected a UTF-8 encoded file"
                )
            ]
        ) from None
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicate_names, parse_constant=_no_constant)
    except RecursionError:
        raise InvalidEvent([Problem("JSON nested too deeply")]) from None
    except ValueError as error:  # JSONDecodeError, huge integers, our hooks
        raise InvalidEvent([Problem(f"invalid JSON: {error}")]) from None
    if raw.count(b"[") + raw.count(b"{") > MAX_DEPTH and _depth(data) > MAX_DEPTH:
        raise InvalidEvent([Problem(f"JSON nested deeper than {MAX_DEPTH} levels")])
    return data


def _no_duplicate_names(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    data = dict(pairs)
    if len(data) < len(pairs):
        raise ValueError(f"field {_first_repeated(pairs)!r} appears twice in one object")
    return data


def _first_repeated(pairs: list[tuple[str, Any]]) -> str:
    seen: set[str] = set()
    for name, _ in pairs:
        if name in seen:
            return name
        seen.add(name)
    raise AssertionError("no name repeats")


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def _depth(value: Any, level: int = 1) -> int:
    if level > MAX_DEPTH:
        return level
    children = (
        value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    )
    return max((_depth(child, level + 1) for child in children), default=level)
