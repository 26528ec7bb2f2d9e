"""CAMEO event codes and their PLOVER categories, from the table that ships with diplo.

The table (``events/data/cameo-plover.tsv``) is the CAMEO to PLOVER conversion of the PLOVER
manual (draft 0.8, 2021). PLOVER does not code public statements (CAMEO 01 and 02), so a
statement's code has no category: ``plover_of`` says so with ``None`` rather than inventing one.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.resources import files


@dataclass(frozen=True)
class CameoCode:
    code: str
    plover: str
    mode: str
    context: str
    description: str


@cache
def cameo_table() -> dict[str, CameoCode]:
    """Every CAMEO code the shipped table lists, by code."""
    text = files("diplo.events").joinpath("data/cameo-plover.tsv").read_text(encoding="utf-8")
    found = {}
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        code, plover, mode, context, description = line.split("\t")
        found[code] = CameoCode(code, plover, mode, context, description)
    return found


def plover_of(cameo: str | None) -> str | None:
    """The PLOVER category of a CAMEO code, or None where PLOVER has none."""
    entry = cameo_table().get(cameo) if cameo else None
    return entry.plover if entry else None
