"""Characters that drive a terminal or hide text, and how to write text without them acting.

A ledger keeps text exactly as recorded, and names may hold what a clerk pasted. Shown to a
person, though, some characters act instead of appearing:

- C0 and C1 controls and DEL: ESC and CSI (0x9B) start terminal commands (colours, cursor
  moves, window titles, hyperlinks, clearing the screen); CR and BS overwrite what was printed.
- Bidirectional overrides, embeddings, isolates and marks (U+202A–202E, U+2066–2069, U+200E,
  U+200F, U+061C): they reorder the text after them, so a line can read unlike what it holds.
- Other invisible format characters (zero-width space, word joiner, BOM, soft hyphen, tag
  characters, …), line and paragraph separators, Hangul fillers, and lone surrogates (which
  cannot even be encoded). Zero-width joiner and non-joiner are kept: Persian, Indic scripts
  and emoji need them, and they neither reorder nor command anything.

``visible`` replaces each of them by an escape a person can read (``\\x1b``, ``\\u202e``);
``json_inert`` escapes them inside JSON, which keeps the data exact for any JSON reader.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from typing import Any

_JOINERS = frozenset("\u200c\u200d")
_FILLERS = frozenset("\u115f\u1160\u3164\uffa0")  # letters by category, blank on screen
_ACTING = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def hidden(char: str) -> bool:
    """True for a character that acts (control, reordering) or is invisible when shown."""
    if char in _JOINERS:
        return False
    return char in _FILLERS or unicodedata.category(char) in _ACTING


def visible(text: str) -> str:
    """``text`` with every hidden character replaced by its Python-style escape."""
    if text.isprintable() and _FILLERS.isdisjoint(text):
        return text  # the common case: nothing to replace
    return "".join(_escape(char) if hidden(char) else char for char in text)


def _escape(char: str) -> str:
    point = ord(char)
    if point < 0x100:
        return f"\\x{point:02x}"
    return f"\\u{point:04x}" if point < 0x10000 else f"\\U{point:08x}"


# Outside its strings, JSON text is printable ASCII; so every hidden character is in a string.
# (Written as "not 0-0x7e": the same characters as the range 0x7f-0x10ffff, which took 5 ms to
# compile, paid by every command at start-up.)
_NON_ASCII_OR_DEL = re.compile(r"[^\x00-\x7e]")


def json_inert(text: str) -> str:
    """JSON text (from ``json.dumps(..., ensure_ascii=False)``) with hidden characters written
    as ``\\uXXXX`` escapes: it decodes to exactly the same data, and prints inertly."""
    if text.isascii() and "\x7f" not in text:
        return text
    return _NON_ASCII_OR_DEL.sub(_json_escape, text)


def _json_escape(match: re.Match[str]) -> str:
    char = match.group()
    if not hidden(char):
        return char
    point = ord(char)
    if point < 0x10000:
        return f"\\u{point:04x}"
    point -= 0x10000  # JSON writes an astral character as a surrogate pair
    return f"\\u{0xD800 + (point >> 10):04x}\\u{0xDC00 + (point & 0x3FF):04x}"


def json_at(value: Any, depth: int) -> str:
    """``value`` as ``json.dumps(..., ensure_ascii=False, indent=2, sort_keys=True)`` writes
    it ``depth`` levels down a document (a JSON string holds no raw newline, so indenting its
    lines is exact); hidden characters still raw, for ``json_inert``.

    Python's indenting encoder is written in Python (its C encoder takes no indent): a report
    row cost 35 µs there. A row of values (a container of no containers) is written by the C
    encoder, told to put each item on its own indented line (its item separator). Deeper
    data takes Python's encoder: going down it item by item here costs as much."""
    if value and isinstance(value, (dict, list, tuple)):
        items = value.values() if isinstance(value, dict) else value
        if not any(isinstance(v, (dict, list, tuple)) for v in items):
            inner = "\n" + "  " * (depth + 1)
            opening, closing = "{}" if isinstance(value, dict) else "[]"
            text = _encoder(depth).encode(value)
            return opening + inner + text[1:-1] + "\n" + "  " * depth + closing
    text = json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True)
    return text.replace("\n", "\n" + "  " * depth)


@functools.lru_cache(maxsize=32)
def _encoder(depth: int) -> json.JSONEncoder:
    """The C encoder, each item of a container ``depth`` levels down on its own line."""
    inner = "\n" + "  " * (depth + 1)
    return json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=("," + inner, ": "))


def json_array(items: Iterable[Any], depth: int = 0, batch: int = 500) -> Iterator[str]:
    """A JSON list, ``batch`` items at a time, as ``json.dumps(items, ensure_ascii=False,
    indent=2, sort_keys=True)`` writes it ``depth`` levels down a document, hidden characters
    escaped (``json_inert``): readers that stream their rows never hold the list (a JSON
    string holds no raw newline, so indenting each item's lines is exact)."""
    inner, pending, written = "\n" + "  " * (depth + 1), [], 0
    for item in items:
        pending.append(("[" if written == 0 else ",") + inner + json_at(item, depth + 1))
        written += 1
        if len(pending) == batch:
            yield json_inert("".join(pending))
            pending.clear()
    yield json_inert("".join(pending)) + ("\n" + "  " * depth + "]" if written else "[]")
