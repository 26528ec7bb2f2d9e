"""The IATI 2.03 codelists that an imported file's codes are checked against (shipped in
``data/iati/``, copied from IATI). Withdrawn codes still count: files of 2.01 use them."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from defusedxml.ElementTree import fromstring  # type: ignore[import-untyped]


@cache
def codelist(name: str) -> frozenset[str]:
    """Every code of the IATI codelist ``name`` (``TransactionType``, ``Currency``…)."""
    text = files("diplo.events").joinpath(f"data/iati/codelist-{name}.xml").read_bytes()
    root = fromstring(text)
    return frozenset(item.findtext("code", "") for item in root.iter("codelist-item"))
