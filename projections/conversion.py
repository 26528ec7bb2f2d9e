"""`--in CUR`: every amount of a report also told in one currency, and what could not be.

Each amount is converted at the IMF annual average of its event's year (a partial date such
as ``2025?`` still names its year), in decimal arithmetic, rounded to the cent at the end:
``value / rate(from) * rate(to)``, both rates in units per US dollar. A section's total in the
target currency is the sum of its converted amounts; a ceiling (``up to``) or an approximation
(``about``) among them is said beside the total. Every amount that cannot be converted (no rate
for its currency or its year, no date) is listed with the reason, never dropped silently.
The report names the table and its date.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from diplo.events.fx import TABLE_NAME, Rates, imf_rates
from diplo.projections.money import only
from diplo.projections.reports import Report, Rows, Section

CENT = Decimal("0.01")
# The columns that date a row's amount, in the order they are looked for.
DATE_COLUMNS = ("signed_on", "on", "occurred_on", "planned_on")
UNCONVERTED_COLUMNS = ["section", "key", "value", "currency", "date", "reason"]


@dataclass
class _Tally:
    total: Decimal = Decimal(0)
    converted: int = 0
    qualified: int = 0
    failed: int = 0


def convert(report: Report, target: str, rates: Rates | None = None) -> Report:
    """``report`` with a column ``in TARGET`` beside every amount and a total per section.

    Rows are converted as they pass, each time a renderer walks them (``_Converted``), so a
    converted report streams as any other: its totals are one walk of each section first."""
    rates = rates or imf_rates()
    column = f"in {target}"
    report.figures.append(("exchange rates", f"{TABLE_NAME}: the average of each event's year"))
    report.figures.append(("rate table date", rates.as_of))
    converted: list[_Converted] = []
    failed = 0
    for section in report.sections:
        if not {"value", "currency"} <= set(section.columns):
            continue
        rows = _Converted(section, column, target, rates)
        tally = rows.tally()
        failed += tally.failed
        converted.append(rows)
        section.rows = rows
        at = section.columns.index("currency") + 1
        section.columns = [*section.columns[:at], column, *section.columns[at:]]
        _total(report, f"{section.title} in {target}", tally)
    report.count(f"amounts not converted to {target}", failed)
    if failed:
        unconverted = _Unconverted(converted)
        report.sections.insert(
            0, Section(f"Amounts not converted to {target}", UNCONVERTED_COLUMNS, unconverted)
        )
    return report


class _Converted:
    """A section's rows, each with its amount in ``target`` (None where it has none or it
    cannot be converted), read afresh from the section's rows on each walk."""

    def __init__(self, section: Section, column: str, target: str, rates: Rates) -> None:
        self.rows, self.title = section.walkable(), section.title
        self.column, self.target, self.rates = column, target, rates

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for row in self.rows:
            amount, _, _ = self._outcome(row)
            row[self.column] = None if amount is None else str(amount)
            yield row

    def tally(self) -> _Tally:
        """The section's total in ``target``, and how many amounts it sums or leaves out."""
        tally = _Tally()
        for row in self._narrowed():
            amount, reason, _ = self._outcome(row)
            if amount is not None:
                tally.total += amount
                tally.converted += 1
                tally.qualified += bool(row.get("qualifier"))
            elif reason:
                tally.failed += 1
        return tally

    def _narrowed(self) -> Iterable[dict[str, Any]]:
        """The rows with only what converting their amounts reads (``money.only``)."""
        if not isinstance(self.rows, Rows):
            return self.rows
        held = self.rows.columns()
        read = ("value", "currency", "qualifier", *DATE_COLUMNS)
        return only(self.rows, *[c for c in read if c in held])

    def failures(self) -> Iterator[dict[str, Any]]:
        """Each amount that cannot be converted, and why."""
        for row in self.rows:
            amount, reason, day = self._outcome(row)
            if amount is None and reason:
                yield {
                    "section": self.title,
                    "key": row.get("key"),
                    "value": row["value"],
                    "currency": row["currency"],
                    "date": day,
                    "reason": reason,
                }

    def _outcome(self, row: dict[str, Any]) -> tuple[Decimal | None, str, str | None]:
        """The row's amount in ``target``, or why not ("": it has no amount); its date."""
        if row.get("value") is None:
            return None, "", None
        day = next((row[c] for c in DATE_COLUMNS if row.get(c)), None)
        amount, reason = _converted(
            Decimal(row["value"]), row["currency"], day, self.target, self.rates
        )
        return amount, reason, day


class _Unconverted:
    """The amounts no section could convert, section by section, found again on each walk."""

    def __init__(self, sections: list[_Converted]) -> None:
        self.sections = sections

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for section in self.sections:
            yield from section.failures()


def _converted(
    value: Decimal, currency: str, day: str | None, target: str, rates: Rates
) -> tuple[Decimal | None, str]:
    if currency == target:
        return value, ""
    if not day:
        return None, "no date to take the rate of"
    year = int(str(day)[:4])
    missing = [c for c in (currency, target) if rates.rate(c, year) is None]
    if missing:
        return None, f"no rate for {' or '.join(missing)} in {year} in the table"
    rate_from, rate_to = rates.rate(currency, year), rates.rate(target, year)
    assert rate_from is not None and rate_to is not None
    return (value / rate_from * rate_to).quantize(CENT, ROUND_HALF_EVEN), ""


def _total(report: Report, label: str, tally: _Tally) -> None:
    if not tally.converted and not tally.failed:
        return
    notes = []
    if tally.qualified:
        notes.append(f"{tally.qualified} of them up to a ceiling or approximate")
    if tally.failed:
        noun = "amount" if tally.failed == 1 else "amounts"
        notes.append(f"{tally.failed} {noun} not converted, listed")
    if notes:
        report.figures.append((label, f"{tally.total:,} ({'; '.join(notes)})"))
    else:
        report.money(label, str(tally.total))
