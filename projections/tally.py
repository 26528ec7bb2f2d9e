"""Running counts and totals per country pair, moved by what each chunk adds and removes.

``partnerships`` and ``partnership_funding`` sum over every event of a pair. Recomputing a
touched pair reads all of its rows, so a catch-up used to cost what the ledger holds; here the
rows a chunk inserts count +1 and the rows a correction deletes count -1, and only the pairs
they touch are rewritten, from their stored running figures (``partnerships`` itself,
``_pair_ends``, ``_funding_parts``) and these deltas. A rebuild adds every row to one tally and
writes it at the end: both paths run this code, so "rebuild equals incremental update"
(property-tested, chunked every way) covers it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from diplo.projections.ends import Ends, forget
from diplo.projections.funding import UNSTATED, Part, write_funding
from diplo.projections.tables import PAIR_KINDS

if TYPE_CHECKING:
    from sqlite_utils import Database

KINDS = tuple(PAIR_KINDS)  # the partnerships columns that count activity, one per kind
COLUMNS = ["pair", "country_a", "country_b", *KINDS, "first_activity", "last_activity"]

# Money of each kind a pair holds, from the table that states it; never mixed across kinds:
# an agreement's amount is agreed, not granted, even when a grant is signed under it. An
# agreement counts toward the pairs its ``_pairs`` rows of kind ``agreements`` name.
FUNDED = {"grants": "granted", "loans": "lent", "disbursements": "disbursed"}
AGREED = "agreed"
READS = frozenset(("_pairs", "agreements", *FUNDED))  # the tables whose rows ``add`` reads

Rows = Mapping[str, Iterable[dict[str, Any]]]  # each table's rows, by table name


@dataclass
class Tally:
    """What a chunk (or a whole rebuild) changed: per pair and kind, the change in standing
    events; per pair, its first and last activity; per pair, kind and currency, its money."""

    counts: Counter[tuple[str, str]] = field(default_factory=Counter)
    ends: dict[str, Ends] = field(default_factory=dict)
    parts: dict[tuple[str, str, str], Part] = field(default_factory=dict)

    def add(self, rows: Rows, sign: int) -> None:
        """Count ``rows`` in (+1: inserted) or out (-1: deleted)."""
        agreed: dict[str, list[str]] = defaultdict(list)
        for row in rows.get("_pairs", ()):
            if row["kind"] == "agreements":
                agreed[row["key"]].append(row["pair"])
            if _standing(row):
                self._pair(row, sign)
        for row in rows.get("agreements", ()):
            for pair in agreed.get(row["key"], ()) if _standing(row) else ():
                self._part(pair, AGREED, row).add(row, sign)
        for table, kind in FUNDED.items():
            for row in rows.get(table, ()):
                if _standing(row) and row.get("pair"):
                    self._part(row["pair"], kind, row).add(row, sign)

    def _pair(self, row: dict[str, Any], sign: int) -> None:
        pair = row["pair"]
        self.counts[(pair, row["kind"])] += sign
        ends = self.ends.get(pair)
        if ends is None:  # not ``setdefault``: an ``Ends`` made for every row costs
            ends = self.ends[pair] = Ends()
        end = (row["earliest"], row["latest"], row["occurred_on"], row["key"])
        ends.add(end) if sign > 0 else ends.remove(end)

    def _part(self, pair: str, kind: str, row: dict[str, Any]) -> Part:
        currency = UNSTATED if row.get("value") is None else row["currency"]
        return self.parts.setdefault((pair, kind, currency), Part())

    def write(self, db: Database) -> None:
        """Move the stored figures of every pair this tally touched, rewrite its rows, and
        start again from nothing."""
        for pair, ends in sorted(self.ends.items()):
            _partnership(db, pair, {k: n for (p, k), n in self.counts.items() if p == pair}, ends)
        by_kind: dict[tuple[str, str], dict[str, Part]] = defaultdict(dict)
        for (pair, kind, currency), part in self.parts.items():
            by_kind[(pair, kind)][currency] = part
        for (pair, kind), parts in sorted(by_kind.items()):
            write_funding(db, pair, kind, parts)
        self.counts.clear()
        self.ends.clear()
        self.parts.clear()


def _standing(row: dict[str, Any]) -> bool:
    """Counted: not retracted (and, as in SQL, a missing status is not ``!= 'retracted'``)."""
    return row.get("status") not in (None, "retracted")


def _partnership(db: Database, pair: str, deltas: dict[str, int], ends: Ends) -> None:
    """A pair's row: its counts moved by ``deltas``, its first and last activity moved by
    ``ends``; none if no activity of the pair stands."""
    found = db.execute("SELECT * FROM partnerships WHERE pair = ?", [pair]).fetchone()
    stored = dict(zip(COLUMNS, found, strict=True)) if found else {}
    counts = [stored.get(kind, 0) + deltas.get(kind, 0) for kind in KINDS]
    db.execute("DELETE FROM partnerships WHERE pair = ?", [pair])
    if not any(counts):
        forget(db, pair)
        return
    first_activity, last_activity = ends.write(db, pair)
    a, b = pair.split("-")
    db.execute(
        f"INSERT INTO partnerships ({', '.join(map(repr, COLUMNS))}) "
        f"VALUES ({', '.join('?' * len(COLUMNS))})",
        [pair, a, b, *counts, first_activity, last_activity],
    )
