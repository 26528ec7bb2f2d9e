"""Stamping a fact as recorded: its key fixed, and who recorded it (and who reported it)."""

from __future__ import annotations

from typing import Any

from diplo.events.catalog import key_of
from diplo.events.envelope import Fact


def stamp(fact: Fact, recorded_by: str) -> Fact:
    """Fix the key and the recorder in the fact, so they are stored (under the hash chain) and
    exported with it.

    The recorder is who runs the command, whatever the input says: a ``recorded_by`` in the
    input is only a claim, kept as ``reported_by`` (who reported it), unless it names the
    recorder, which would say nothing more. Neither is content, so keys and skips are as
    before: a file that says ``"recorded_by": "diplo seed"`` imports unchanged and re-imports
    as already recorded.
    """
    stamps = stamps_of(fact, recorded_by)
    if (fact.key, fact.recorded_by, fact.reported_by) == tuple(stamps.values()):
        return fact  # frozen: already stamped so, it can be shared
    return updated(fact, stamps)


def stamps_of(fact: Fact, recorded_by: str) -> dict[str, Any]:
    """What ``stamp`` fixes in ``fact``: its key, recorder and reporter."""
    claimed = fact.reported_by or fact.recorded_by
    reported = claimed if claimed != recorded_by else None
    return {"key": key_of(fact), "recorded_by": recorded_by, "reported_by": reported}


def updated(fact: Fact, update: dict[str, Any]) -> Fact:
    """``fact.model_copy(update=update)`` as pydantic makes it for a frozen model without extra
    fields (fields, which of them are set, private caches), at a third of its cost: an import
    stamps every fact it reads. The content caches stay valid: none of ``update`` is content."""
    new = object.__new__(type(fact))
    put = object.__setattr__
    put(new, "__dict__", {**fact.__dict__, **update})
    put(new, "__pydantic_extra__", None)
    put(new, "__pydantic_fields_set__", fact.__pydantic_fields_set__ | update.keys())
    private = fact.__pydantic_private__
    put(new, "__pydantic_private__", None if private is None else dict(private))
    return new
