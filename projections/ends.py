"""A country pair's first and last activity, kept as running extremes: ``_pair_ends``.

The first activity is the standing ``_pairs`` row first by (earliest, latest, occurred_on,
key), the last the one first by (latest DESC, earliest DESC, occurred_on, key). Rows a chunk
adds can only move an extreme past them; rows it removes matter only if one of them was an
extreme. So a pair is written from its stored extremes and the extremes of what was added,
and its rows are read again (one query over the pair) only when a correction or retraction
took away its first or last activity itself. Two indexes kept for that rare case would cost
two random page writes for every row added.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from diplo.projections.tables import STANDING

if TYPE_CHECKING:
    from sqlite_utils import Database

End = tuple[str, str, str, str]  # earliest, latest, occurred_on, key of a standing row

SELECT = f"SELECT earliest, latest, occurred_on, key FROM _pairs WHERE pair = ? AND {STANDING}"
FIRST = f"{SELECT} ORDER BY earliest, latest, occurred_on, key LIMIT 1"
LAST = f"{SELECT} ORDER BY latest DESC, earliest DESC, occurred_on, key LIMIT 1"


def first(a: End | None, b: End | None) -> End | None:
    """Whichever of two rows comes first by (earliest, latest, occurred_on, key)."""
    return b if a is None else a if b is None else min(a, b)


def last(a: End | None, b: End | None) -> End | None:
    """Whichever of two rows is last: latest DESC, earliest DESC, then occurred_on, key."""
    if a is None or b is None:
        return a or b
    if (a[1], a[0]) != (b[1], b[0]):
        return a if (a[1], a[0]) > (b[1], b[0]) else b
    return min(a, b)


@dataclass
class Ends:
    """What a chunk did to one pair's standing rows: the extremes of the rows it added, the
    rows it removed (not put back), and whether an added extreme was removed again."""

    first: End | None = None
    last: End | None = None
    removed: Counter[End] = field(default_factory=Counter)
    lost: bool = False  # an added extreme was removed: the pair must be read again

    def add(self, end: End) -> None:
        # put back as it was (a correction that moved no date); most chunks remove nothing
        if self.removed and self.removed[end] > 0:
            self.removed[end] -= 1
            return
        self.first, self.last = first(self.first, end), last(self.last, end)

    def remove(self, end: End) -> None:
        self.lost = self.lost or end in (self.first, self.last)
        self.removed[end] += 1

    def write(self, db: Database, pair: str) -> tuple[str, str]:
        """Store the pair's new extremes; return its first and last activity dates."""
        found = db.execute("SELECT first, last FROM _pair_ends WHERE pair = ?", [pair]).fetchone()
        stored: list[End | None] = [tuple(json.loads(e)) for e in found] if found else [None] * 2
        gone = {end for end, count in self.removed.items() if count > 0}
        if self.lost or gone & set(stored):
            now = [db.execute(query, [pair]).fetchone() for query in (FIRST, LAST)]
        else:
            now = [first(stored[0], self.first), last(stored[1], self.last)]
        db.execute(
            "INSERT OR REPLACE INTO _pair_ends VALUES (?, ?, ?)",
            [pair, *(json.dumps(list(end)) for end in now)],
        )
        return now[0][2], now[1][2]


def forget(db: Database, pair: str) -> None:
    """The pair has no standing activity left."""
    db.execute("DELETE FROM _pair_ends WHERE pair = ?", [pair])
