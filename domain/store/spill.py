"""A map that keeps its first entries in memory and the rest in a private temporary SQLite
file, so that a reader following the whole log (an audit, an export) runs in flat memory.

Following the log means remembering what it told so far: the name and country of every
registered party, the countries of every grant, loan and project a later event may act on.
On a ledger of 1M events those are some 60,000 parties and 260,000 records: 110-190 MB held
by `diplo audit` and `diplo export --format iati` (against 60-70 MB on 100,000 events).
"""

from __future__ import annotations

import json
import marshal
import sqlite3
from collections.abc import Hashable, Iterator, MutableMapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from diplo.events.directory import Directory

KEPT = 10_000  # entries kept in memory; the rest wait on disk


class Spilled(MutableMapping[Any, Any]):
    """A map of keys of texts (or tuples of texts) to values that marshal (texts, numbers,
    lists and dicts of them): its first ``kept`` keys stay in memory, later ones go to a
    private temporary SQLite file (made when the first one does, gone when the map is
    closed or collected). What is read back from the file is an equal copy of what was set."""

    def __init__(self, kept: int | None = None) -> None:
        self.memory: dict[Any, Any] = {}
        self.kept = KEPT if kept is None else kept
        self._db: sqlite3.Connection | None = None
        self._spilled = 0  # keys on disk

    def __setitem__(self, key: Hashable, value: Any) -> None:
        if key in self.memory:
            self.memory[key] = value
            return
        packed = _key(key)
        on_disk = self._spilled > 0 and self._has(packed)
        if not on_disk and len(self.memory) < self.kept:  # (room left by a deletion)
            self.memory[key] = value
            return
        self._disk().execute(
            "INSERT OR REPLACE INTO entries VALUES (?, ?)", [packed, marshal.dumps(value)]
        )
        self._spilled += not on_disk

    def _has(self, packed: str) -> bool:
        assert self._db is not None
        return (
            self._db.execute("SELECT 1 FROM entries WHERE key = ?", [packed]).fetchone() is not None
        )

    def __getitem__(self, key: Hashable) -> Any:
        found = self.get(key, _MISSING)
        if found is _MISSING:
            raise KeyError(key)
        return found

    def get(self, key: Hashable, default: Any = None) -> Any:
        """As a dict's (in memory first: asked for every party of every event)."""
        memory = self.memory
        if key in memory:
            return memory[key]
        if self._db is None:
            return default
        row = self._db.execute("SELECT value FROM entries WHERE key = ?", [_key(key)]).fetchone()
        return default if row is None else marshal.loads(row[0])

    def __delitem__(self, key: Hashable) -> None:
        if key in self.memory:
            del self.memory[key]
            return
        gone = (
            self._db.execute("DELETE FROM entries WHERE key = ?", [_key(key)]) if self._db else None
        )
        if gone is None or gone.rowcount == 0:
            raise KeyError(key)
        self._spilled -= 1

    def __iter__(self) -> Iterator[Any]:
        yield from self.memory
        if self._db is not None:
            for (key,) in self._db.execute("SELECT key FROM entries"):
                yield _unkey(key)

    def __len__(self) -> int:
        return len(self.memory) + self._spilled

    def close(self) -> None:
        """Remove the temporary file, if any: what is in memory can still be read; asking
        the file for anything after raises (sqlite3.ProgrammingError), never answers None."""
        if self._db is not None:
            self._db.close()

    def _disk(self) -> sqlite3.Connection:
        if self._db is None:
            self._db = sqlite3.connect("")  # "": a private file on disk, gone at close
            self._db.execute("PRAGMA synchronous=OFF")
            self._db.execute(
                "CREATE TABLE entries (key TEXT PRIMARY KEY, value BLOB) WITHOUT ROWID"
            )
        return self._db


_MISSING = object()


def _key(key: object) -> str:
    """Equal keys as equal texts, unequal ones as unequal texts (marshal would tell an
    interned text from another): a text as itself, a tuple of texts joined, anything else as
    JSON; each marked by its kind."""
    if type(key) is str:
        return "s" + key
    if type(key) is tuple and len(key) > 1 and all(type(p) is str and SEP not in p for p in key):
        return "t" + SEP.join(key)  # (a pair of texts: a record's kind and id)
    return "j" + json.dumps(key, ensure_ascii=False)


def _unkey(text: str) -> Any:
    kind, rest = text[0], text[1:]
    if kind == "s":
        return rest
    if kind == "t":
        return tuple(rest.split(SEP))
    key = json.loads(rest)
    return tuple(key) if isinstance(key, list) else key


SEP = "\x1f"  # the unit separator: between the texts of a tuple key


@contextmanager
def following() -> Iterator[Directory]:
    """A directory for a reader that follows the whole log (an audit, an export, a log from
    the ledger): what it learns of parties and records waits on disk beyond the first
    ``KEPT`` entries of each; its temporary files are removed when the reader is done."""
    from diplo.events.directory import Directory

    maps = Spilled(), Spilled(), Spilled()
    try:
        yield Directory(countries=maps[0], names=maps[1], records=maps[2])
    finally:
        for spilled in maps:
            spilled.close()
