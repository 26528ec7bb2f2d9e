"""Exchange rates shipped with diplo: the IMF's annual averages, units per US dollar.

One rate per currency and year. Where several countries report a currency (the euro, the CFA
francs, the US dollar), the rate is the one its issuer reports (the euro area ``U2``, the
BCEAO ``7A``…, else the country whose code begins the currency's, ``JP`` for ``JPY``); when
no issuer reports it and the reports differ, there is no rate rather than a guess. The US
dollar is 1 by definition (the table's own reports for it include Haiti's gourde mislabelled).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib.resources import files

TABLE = "data/imf-annual-average-rates-usd.tsv"
TABLE_NAME = (
    "IMF annual average exchange rates (International Financial Statistics, via codeforIATI)"
)
ISSUERS = {"EUR": "U2", "XCD": "5Y", "XOF": "7A", "XAF": "5X"}


@dataclass(frozen=True)
class Rates:
    """Units of each currency per US dollar, by (currency, year); and the table's last date."""

    per_usd: dict[tuple[str, int], Decimal]
    as_of: str

    def rate(self, currency: str, year: int) -> Decimal | None:
        if currency == "USD":
            return Decimal(1)
        return self.per_usd.get((currency, year))


@cache
def imf_rates() -> Rates:
    """The shipped table, read once."""
    text = files("diplo.events").joinpath(TABLE).read_text(encoding="utf-8")
    reports: dict[tuple[str, int], dict[str, Decimal]] = {}
    last = ""
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        day, currency, country, rate = line.split("\t")
        reports.setdefault((currency, int(day[:4])), {})[country] = Decimal(rate)
        last = max(last, day)
    chosen: dict[tuple[str, int], Decimal] = {}
    for (currency, year), by_country in reports.items():
        issued = _issuers_rate(currency, by_country)
        if issued is not None:
            chosen[(currency, year)] = issued
    return Rates(chosen, last)


def _issuers_rate(currency: str, by_country: dict[str, Decimal]) -> Decimal | None:
    issuer = ISSUERS.get(currency, currency[:2])
    if issuer in by_country:
        return by_country[issuer]
    values = set(by_country.values())
    return values.pop() if len(values) == 1 else None
