"""OECD DAC CRS purpose codes, exactly as the IATI Sector codelist lists them.

The list ships with diplo (``events/data/crs-sectors.tsv``, copied from the IATI 2.03 codelist),
so a made-up code such as ``12345`` is refused even where its first three digits name a real
sector group. Withdrawn codes are accepted and carry their withdrawal date.
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
