"""Helpers of the ``rows`` functions that declarations give: flat cells, country pairs, dates.

View rows are plain dicts derived from an event's current JSON data; every row carries the
event's ``key``, so a correction or retraction replaces exactly the rows of its target.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import combinations

from diplo.events.basic import PartialDate
from diplo.events.declaration import Data, Meta, Rows

STATUS = "active, corrected or retracted"
KEY = "key of the event the row comes from"
IATI_IDENTIFIER = (
    "IATI activity identifier in `diplo export --format iati` (the ledger's own reporting org; "
    "--reporting-org changes the prefix)"
)


def add(rows: Rows, table: str, row: Data) -> None:
    """Append one row for ``table``."""
    rows.setdefault(table, []).append(row)


def joined(values: list[str] | None, sep: str = ",") -> str:
    """A list as one text cell (views are flat tables, for spreadsheets and Datasette)."""
    return sep.join(values or [])


def pair_of(a: str | None, b: str | None) -> str | None:
    """The unordered country pair ``JP-UZ`` of two countries, if they are two."""
    return "-".join(sorted((a, b))) if a and b and a != b else None


def among(countries: list[str]) -> set[str]:
    """Every pair among several countries (a meeting of three is three pairs)."""
    return {"-".join(p) for p in combinations(sorted(set(countries)), 2)}


@lru_cache(maxsize=65536)
def bounds(text: str) -> tuple[str, str, int]:
    """Earliest and latest ISO day of a partial date, and whether it is uncertain."""
    when = PartialDate(text)
    return when.earliest.isoformat(), when.latest.isoformat(), int(when.uncertain)


def count_in_pairs(rows: Rows, kind: str, pairs: set[str], data: Data, meta: Meta) -> None:
    """Count the event toward each pair's ``kind`` column of ``partnerships``."""
    earliest, latest, _ = bounds(data["occurred_on"])
    for pair in sorted(pairs):
        add(
            rows,
            "_pairs",
            {
                "key": meta.key,
                "pair": pair,
                "kind": kind,
                "occurred_on": data["occurred_on"],
                "earliest": earliest,
                "latest": latest,
                "status": meta.status,
            },
        )


def money_cells(money: Data | None, prefix: str = "") -> Data:
    """An amount as flat cells: value, currency and qualifier (``up-to``, ``about``, or none
    for an exact amount), so a reader never mistakes a ceiling for a sum."""
    money = money or {}
    return {
        f"{prefix}value": money.get("value"),
        f"{prefix}currency": money.get("currency"),
        f"{prefix}qualifier": money.get("qualifier"),
    }


def equivalents_cell(equivalents: list[Data] | None) -> str | None:
    """Amounts as stated in other currencies, shown beside the amount, never summed."""
    if not equivalents:
        return None
    return "; ".join(
        " ".join(filter(None, [m.get("qualifier"), m["currency"], m["value"]])) for m in equivalents
    )


def independent_sources(data: Data) -> int:
    """How many independent sources report an event: its distinct publishers."""
    sources = data.get("sources")
    if not sources or len(sources) == 1:  # most events cite one source, or none
        return len(sources or ())
    return len({source["publisher"] for source in sources})


MONEY_COLUMNS = {
    "value": "amount as a decimal string (none: not stated)",
    "currency": "ISO 4217",
    "qualifier": "up-to (a ceiling), about, or empty for an exact amount",
}
