"""Running counts and totals per country pair, moved by what each chunk adds and removes.

``partnerships`` and ``partnership_funding`` sum over every event of a pair. Recomputing a
touched pair reads all of its rows, so a catch-up used to cost what the ledger holds; here the
rows a chunk inserts count +1 and the rows a correction deletes count -1, and only the pairs
they touch are rewritten, from their stored running figures and these deltas. A rebuild adds
every row once and writes every pair at the end: both paths run this code, so "rebuild equals
incremental update" (property-tested) covers it.

Totals are Decimal-exact: summed in an unbounded context (SQLite would sum decimal strings as
floats), and written with as many decimal places as the amounts they sum have at most, which
is what summing the amounts from scratch gives; ``places`` counts the amounts by their decimal
places, so removing the only amount with cents drops the cents again.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal
from typing import TYPE_CHECKING, Any

from diplo.projections.tables import PAIR_KINDS, STANDING

if TYPE_CHECKING:
    from sqlite_utils import Database

EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)
KINDS = tuple(PAIR_KINDS)  # the partnerships columns that count activity, one per kind
PLACES = 7  # an amount has 0 to 6 decimal places (events.values)

# Money of each kind a pair holds, from the table that states it; never mixed across kinds:
# an agreement's amount is agreed, not granted, even when a grant is signed under it. An
# agreement counts toward the pairs its ``_pairs`` rows of kind ``agreements`` name.
FUNDED = {"grants": "granted", "loans": "lent", "disbursements": "disbursed"}
AGREED = "agreed"
UNSTATED = ""  # the currency under which a part counts the events that state no amount


@dataclass
class Part:
    """One pair's money of one kind in one currency: exact total, how many amounts it sums,
    how many of them are ceilings or approximations, and how many have 0…6 decimal places."""

    total: Decimal = Decimal(0)
    counted: int = 0
    up_to: int = 0
    about: int = 0
    places: list[int] = field(default_factory=lambda: [0] * PLACES)

    def add(self, row: dict[str, Any], sign: int) -> None:
        self.counted += sign
        if row.get("value") is None:
            return
        amount = Decimal(row["value"])
        self.total = EXACT.add(self.total, amount if sign > 0 else -amount)
        self.up_to += sign if row.get("qualifier") == "up-to" else 0
        self.about += sign if row.get("qualifier") == "about" else 0
        self.places[-int(amount.as_tuple().exponent)] += sign

    def merge(self, other: Part) -> None:
        self.total = EXACT.add(self.total, other.total)
        self.counted += other.counted
        self.up_to += other.up_to
        self.about += other.about
        self.places = [a + b for a, b in zip(self.places, other.places, strict=True)]

    def text(self) -> str:
        """The total as summing its amounts from zero writes it (``str`` of the Decimal)."""
        most = max((n for n, count in enumerate(self.places) if count), default=0)
        return str(EXACT.quantize(self.total, Decimal(1).scaleb(-most)))

    def qualifier(self) -> str | None:
        """A total is a ceiling if any part of it is one; about if any part is approximate."""
        if self.up_to:
            return "up-to"
        return "about" if self.about else None


@dataclass
class Tally:
    """What a chunk (or a whole rebuild) changed: per pair and kind, the change in standing
    events, and per pair, kind and currency, the change in money."""

    counts: Counter[tuple[str, str]] = field(default_factory=Counter)
    parts: dict[tuple[str, str, str], Part] = field(default_factory=dict)

    def add(self, rows: Mapping[str, Iterable[dict[str, Any]]], sign: int) -> None:
        """Count ``rows`` (each table's rows, by table name) in (+1) or out (-1)."""
        agreed: dict[str, list[str]] = defaultdict(list)
        for row in rows.get("_pairs", ()):
            self.counts[(row["pair"], row["kind"])] += sign if _standing(row) else 0
            if row["kind"] == "agreements":
                agreed[row["key"]].append(row["pair"])
        for row in rows.get("agreements", ()):
            for pair in agreed.get(row["key"], ()) if _standing(row) else ():
                self._part(pair, AGREED, row).add(row, sign)
        for table, kind in FUNDED.items():
            for row in rows.get(table, ()):
                if _standing(row) and row.get("pair"):
                    self._part(row["pair"], kind, row).add(row, sign)

    def _part(self, pair: str, kind: str, row: dict[str, Any]) -> Part:
        currency = UNSTATED if row.get("value") is None else row["currency"]
        return self.parts.setdefault((pair, kind, currency), Part())

    def write(self, db: Database) -> None:
        """Move the stored figures of every pair this tally touched, and rewrite its rows."""
        for pair in sorted({pair for pair, _ in self.counts}):
            _partnership(db, pair, {k: n for (p, k), n in self.counts.items() if p == pair})
        by_kind: dict[tuple[str, str], dict[str, Part]] = defaultdict(dict)
        for (pair, kind, currency), part in self.parts.items():
            by_kind[(pair, kind)][currency] = part
        for (pair, kind), parts in sorted(by_kind.items()):
            _funding(db, pair, kind, parts)
        self.counts.clear()
        self.parts.clear()


def _standing(row: dict[str, Any]) -> bool:
    """Counted: not retracted (and, as in SQL, a missing status is not ``!= 'retracted'``)."""
    return row.get("status") not in (None, "retracted")


COLUMNS = ["pair", "country_a", "country_b", *KINDS, "first_activity", "last_activity"]
FIRST = (
    f"SELECT occurred_on FROM _pairs WHERE pair = ? AND {STANDING} "
    "ORDER BY earliest, latest, occurred_on, key LIMIT 1"
)
LAST = (
    f"SELECT occurred_on FROM _pairs WHERE pair = ? AND {STANDING} "
    "ORDER BY latest DESC, earliest DESC, occurred_on, key LIMIT 1"
)


def _partnership(db: Database, pair: str, deltas: dict[str, int]) -> None:
    """A pair's row: its counts moved by ``deltas``, its first and last activity read from
    the standing ``_pairs`` rows through their (partial) indexes; none if nothing stands."""
    found = db.execute("SELECT * FROM partnerships WHERE pair = ?", [pair]).fetchone()
    stored = dict(zip(COLUMNS, found, strict=True)) if found else {}
    counts = [stored.get(kind, 0) + deltas.get(kind, 0) for kind in KINDS]
    db.execute("DELETE FROM partnerships WHERE pair = ?", [pair])
    if not any(counts):
        return
    first = db.execute(FIRST, [pair]).fetchone()[0]
    last = db.execute(LAST, [pair]).fetchone()[0]
    a, b = pair.split("-")
    db.execute(
        f"INSERT INTO partnerships ({', '.join(map(repr, COLUMNS))}) "
        f"VALUES ({', '.join('?' * len(COLUMNS))})",
        [pair, a, b, *counts, first, last],
    )


def _funding(db: Database, pair: str, kind: str, deltas: dict[str, Part]) -> None:
    """A pair's money of one kind: its running parts moved by ``deltas``, and its
    ``partnership_funding`` rows, one per currency (one without currency when no event of
    the kind states an amount), written from them."""
    parts = _stored_parts(db, pair, kind)
    for currency, delta in deltas.items():
        parts.setdefault(currency, Part()).merge(delta)
    parts = {currency: part for currency, part in parts.items() if part.counted}
    db.execute("DELETE FROM _funding_parts WHERE pair = ? AND kind = ?", [pair, kind])
    db.conn.executemany(
        "INSERT INTO _funding_parts VALUES (?,?,?,?,?,?,?,?)",
        [
            (pair, kind, c, p.text(), p.counted, p.up_to, p.about, json.dumps(p.places))
            for c, p in sorted(parts.items())
        ],
    )
    db.execute("DELETE FROM partnership_funding WHERE pair = ? AND kind = ?", [pair, kind])
    unstated = parts.pop(UNSTATED).counted if UNSTATED in parts else 0
    events = unstated + sum(part.counted for part in parts.values())
    rows: list[tuple[str | int | None, ...]] = [
        (pair, kind, c, p.text(), p.qualifier(), p.counted, unstated, events)
        for c, p in sorted(parts.items())
    ] or ([(pair, kind, None, None, None, 0, unstated, events)] if unstated else [])
    db.conn.executemany("INSERT INTO partnership_funding VALUES (?,?,?,?,?,?,?,?)", rows)


def _stored_parts(db: Database, pair: str, kind: str) -> dict[str, Part]:
    return {
        currency: Part(Decimal(total), counted, up_to, about, json.loads(places))
        for currency, total, counted, up_to, about, places in db.execute(
            "SELECT currency, total, counted, up_to, about, places FROM _funding_parts "
            "WHERE pair = ? AND kind = ?",
            [pair, kind],
        ).fetchall()
    }
