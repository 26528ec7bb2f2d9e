"""OECD DAC CRS purpose codes, exactly as the IATI Sector codelist lists them.

The list ships with diplo (``events/data/crs-sectors.tsv``, copied from the IATI 2.03 codelist),
so a made-up code such as ``12345`` is refused even where its first three digits name a real
sector group. A withdrawn code is refused for an event surely dated after its withdrawal
(``in_use_on``); for earlier events, or a date that may fall either side, it stays valid: the
code was in use when the event happened.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from diplo.events.values import PartialDate


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


def in_use_on(code: str | None, occurred_on: PartialDate | None) -> None:
    """Refuse a code withdrawn before the event's date (its earliest possible day): an event
    of 2021 cannot have been classified under a code withdrawn in February 2020."""
    sector = sectors().get(code or "")
    if sector is None or sector.withdrawn_on is None or occurred_on is None:
        return
    if occurred_on.earliest > sector.withdrawn_on:
        raise ValueError(
            f"sector: {code} ({sector.name}) was withdrawn from the CRS codelist on "
            f"{sector.withdrawn_on.isoformat()}, before this event ({occurred_on}); use the "
            "code that replaced it (see the IATI Sector codelist)"
        )
