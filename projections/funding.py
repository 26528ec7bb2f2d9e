"""Running money figures per country pair, kind and currency: ``_funding_parts``, and the
``partnership_funding`` rows written from them.

Totals are Decimal-exact: summed in an unbounded context (SQLite would sum decimal strings as
floats), and written with as many decimal places as the amounts they sum have at most, which
is what summing the amounts from zero gives; ``places`` counts the amounts by their decimal
places, so removing the only amount with cents drops the cents again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlite_utils import Database

EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)
PLACES = 7  # an amount has 0 to 6 decimal places (events.values)
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


def write_funding(db: Database, pair: str, kind: str, deltas: dict[str, Part]) -> None:
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
