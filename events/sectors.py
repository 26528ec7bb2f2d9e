"""OECD DAC CRS purpose codes, exactly as the IATI Sector codelist lists them.

The list ships with diplo (``events/data/crs-sectors.tsv``, copied from the IATI 2.03 codelist),
so a made-up code such as ``12345`` is refused even where its first three digits name a real
sector group. Withdrawn codes stay valid for what happened before their withdrawal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib.resources import files


@dataclass(frozen=True)
class Sector:
    code: str
    name: str
    withdrawn_on: date | None  # None: active


@cache
def sectors() -> dict[str, Sector]:
    """Every purpose code of the shipped codelist, active and withdrawn."""
    text = files("diplo.events").joinpath("data/crs-sectors.tsv").read_text(encoding="utf-8")
    found = {}
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        code, status, withdrawn, name = line.split("\t")
        when = date.fromisoformat(withdrawn) if status == "withdrawn" and withdrawn else None
        found[code] = Sector(code, name, when)
    return found


def check_sector(code: str) -> str:
    """``code`` if it is a CRS purpose code, else a message naming what was expected."""
    if code not in sectors():
        raise ValueError(
            f"unknown sector {code!r}; expected an OECD DAC CRS 5-digit purpose code from the "
            "IATI Sector codelist, like '12191' (medical services)"
        )
    return code


def withdrawn_before(code: str, day: date) -> Sector | None:
    """The sector if it had been withdrawn before ``day`` (then it cannot describe it)."""
    sector = sectors().get(code)
    if sector and sector.withdrawn_on and sector.withdrawn_on < day:
        return sector
    return None
