"""References between facts: every id a fact names must be registered, and when it is not,
the error suggests the closest known ids and aliases (``takashi-hatori`` → ``hatori-takashi``)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from functools import cache
from typing import Any, Protocol
from uuid import UUID

from diplo.domain.errors import UnknownReference
from diplo.domain.model.routing import KINDS, kind_name
from diplo.events.envelope import Fact


class Known(Protocol):
    """What a reference check asks of the records so far (a batch, over the ledger)."""

    def exists(self, stream: UUID) -> bool: ...

    def known_names(self, kinds: list[str]) -> dict[str, list[str]]:
        """Registered ids of these kinds, with their names and aliases (for suggestions)."""
        ...


_COUNTRY = re.compile(r"[A-Z]{2}")


def references(fact: Fact) -> Iterator[tuple[str, str, list[str]]]:
    """``(field path, id, kinds)`` for every id ``fact`` refers to."""
    for name, kinds in _reference_fields(type(fact)):
        value: Any = getattr(fact, name)
        if isinstance(value, list):
            for index, item in enumerate(value):
                yield f"{name}[{index}]", item, kinds
        elif value is not None:
            yield name, value, kinds


@cache
def _reference_fields(model: type[Fact]) -> list[tuple[str, list[str]]]:
    """The fields of a type that name other records (``x-refers-to`` in the catalog)."""
    found = []
    for name, info in model.model_fields.items():
        extra = info.json_schema_extra
        kinds = extra.get("x-refers-to") if isinstance(extra, dict) else None
        if kinds:
            found.append((name, list(kinds)))
    return found


def check_references(batch: Known, fact: Fact) -> None:
    for field, ref, kinds in references(fact):
        if "country" in kinds and _COUNTRY.fullmatch(ref):
            continue  # validated as an ISO code by the catalog
        named = [k for k in kinds if k in KINDS]
        if not any(batch.exists(KINDS[k].id_for(ref)) for k in named):
            raise UnknownReference(f"{field}: {_unknown(batch, ref, named)}")


def _unknown(batch: Known, ref: str, kinds: list[str]) -> str:
    what = " or ".join(kind_name(k) for k in kinds)
    known = batch.known_names(kinds)
    hint = suggest(ref, known)
    return f"unknown {what} {ref!r}; " + (
        f"did you mean {hint}?" if hint else f"register it first (no {what} is close)"
    )


def suggest(ref: str, known: dict[str, list[str]]) -> str:
    """The closest ids to ``ref``, matching on ids and on their names and aliases."""
    by_label: dict[str, str] = {}
    for slug, names in known.items():
        by_label[slug] = slug
        for name in names:
            by_label.setdefault(re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-"), slug)
    close = difflib.get_close_matches(ref, by_label, n=5, cutoff=0.6)
    ids = list(dict.fromkeys(by_label[label] for label in close))[:3]
    return ", ".join(f"{slug!r} ({'; '.join(known[slug])})" for slug in ids)
