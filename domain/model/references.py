"""References between facts: every id a fact names must be registered, and when it is not,
the error suggests the closest known ids and aliases (``takashi-hatori`` → ``hatori-takashi``)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Iterator
from functools import cache
from typing import Any, Protocol
from uuid import UUID

import pycountry

from diplo.domain.errors import RetractedReference, UnknownReference
from diplo.domain.model.ids import stream_number
from diplo.domain.model.routing import KINDS, ROUTES, kind_name
from diplo.events.envelope import Fact


class Known(Protocol):
    """What a reference check asks of the records so far (a batch, over the ledger)."""

    def exists(self, stream: UUID) -> bool: ...

    def number_exists(self, number: int) -> bool:
        """``exists`` of the stream whose ``UUID.int`` is ``number``."""
        ...

    def known_names(self, kinds: list[str]) -> dict[str, list[str]]:
        """Registered ids of these kinds, with their names and aliases (for suggestions)."""
        ...

    def may_be_retracted(self, number: int) -> bool:
        """Whether the stream whose ``UUID.int`` is ``number`` may hold a retraction."""
        ...

    def load(self, stream: UUID) -> Any: ...


_COUNTRY = re.compile(r"[A-Z]{2}")


# A field path, the id it names, and the kinds of record it may name (``participants[1]``,
# ``jica``, ``["org", "person"]``).
Reference = tuple[str, str, list[str]]

# For a reference, each kind of record it may name and the number (``UUID.int``) of the stream
# that record would have: ``[("org", …), ("person", …)]``.
Candidates = list[tuple[str, int]]


def candidates(named: list[Reference]) -> list[Candidates]:
    """The candidate streams of each reference (a bulk import's reader works them out)."""
    return [[(k, stream_number(k, ref)) for k in kinds if k in KINDS] for _, ref, kinds in named]


def references(fact: Fact) -> Iterator[Reference]:
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
        if isinstance(kinds, list):
            found.append((name, [str(kind) for kind in kinds]))
    return found


# A reference as an import's reader sends it (``checks_of``): whether a retraction of what it
# names matters, and the numbers of the streams it may name. References to countries by their
# ISO codes, which name no record, are left out.
Check = tuple[bool, tuple[int, ...]]


def checks_of(fact: Fact) -> list[Check]:
    """What ``check_references`` of a new ``fact`` looks up, as ``references_clear`` takes
    it: for each of its ``references`` but country codes, the numbers of its ``candidates``,
    worked out without naming each reference's field (which only a refusal tells)."""
    fields, subject = _check_plan(type(fact), fact.type)
    checks: list[Check] = []
    for name, records, country in fields:
        value = getattr(fact, name)
        if value is None:
            continue
        if isinstance(value, list):  # an item's field, ``name[i]``, is never the subject
            for ref in value:
                if not (country and _COUNTRY.fullmatch(ref)):
                    checks.append((True, tuple([stream_number(k, ref) for k in records])))
        elif not (country and _COUNTRY.fullmatch(value)):
            checks.append((name != subject, tuple([stream_number(k, value) for k in records])))
    return checks


@cache
def _check_plan(
    model: type[Fact], type_name: str
) -> tuple[list[tuple[str, list[str], bool]], str | None]:
    """For ``checks_of`` facts of ``model``: each field that names records, the kinds of
    record it may name, and whether it may hold a country code instead; and the subject."""
    fields = [
        (field, [kind for kind in kinds if kind in KINDS], "country" in kinds)
        for field, kinds in _reference_fields(model)
    ]
    return fields, _subject(type_name)


def references_clear(batch: Known, checks: list[Check]) -> bool:
    """Whether ``check_references`` of a new fact (``checks_of`` it) passes without looking
    further: every reference names a record that exists, and none where a retraction matters
    may hold one. Else that check is the one to run: it refuses or loads what it must."""
    exists, may_be_retracted = batch.number_exists, batch.may_be_retracted
    for retraction_matters, numbers in checks:
        found = False
        for number in numbers:
            if exists(number):
                if retraction_matters and may_be_retracted(number):
                    return False
                found = True
        if not found:
            return False
    return True


def _subject(type_name: str) -> str | None:
    """A command's own subject (the grant an EquipmentFunded funds): its aggregate judges it."""
    route = ROUTES.get(type_name)
    return route.subject if route and route.command else None


def check_references(
    batch: Known,
    fact: Fact,
    changed: Collection[str] | None = None,
    named: list[Reference] | None = None,
    streams: list[Candidates] | None = None,
) -> None:
    """Every id ``fact`` names is registered, and no field names a retracted one; for a
    corrected fact, only the ``changed`` fields are new, so only they must not. ``named``:
    ``references(fact)``, and ``streams`` their ``candidates``, if the caller has them."""
    subject = _subject(fact.type)
    if named is None:
        named = list(references(fact))
    exists, may_be_retracted = batch.number_exists, batch.may_be_retracted
    for (field, ref, kinds), kind_streams in zip(
        named, candidates(named) if streams is None else streams, strict=True
    ):
        if "country" in kinds and _COUNTRY.fullmatch(ref):
            continue  # validated as an ISO code by the catalog
        found = [pair for pair in kind_streams if exists(pair[1])]
        if not found:
            raise UnknownReference(f"{field}: {_unknown(batch, ref, kinds)}")
        if field == subject or (changed is not None and field.partition("[")[0] not in changed):
            continue
        for _, number in found:  # only a stream that may hold a retraction is loaded
            if may_be_retracted(number):
                _refuse_retracted(batch, field, ref, found)
                break


def _refuse_retracted(batch: Known, field: str, ref: str, found: Candidates) -> None:
    """A thing whose registration (or signing, planning…) was retracted is, for the ledger,
    not there: a new event may not name it. Events recorded before the retraction stay."""
    for kind, number in found:
        if not batch.may_be_retracted(number):
            continue
        aggregate = batch.load(UUID(int=number))
        created = next(iter(aggregate.statuses), None)  # the creating fact is tracked first
        if created is not None and aggregate.statuses[created] == "retracted":
            raise RetractedReference(
                f"{field}: {kind_name(kind)} {ref!r} was retracted (its {created} is "
                f"retracted); a retracted {kind_name(kind)} cannot be named in a new event"
            )


def _unknown(batch: Known, ref: str, kinds: list[str]) -> str:
    """Why ``ref`` names nothing the field takes: another kind of record, or nothing yet."""
    what = " or ".join(kind_name(k) for k in kinds if k in KINDS)
    other = [k for k in KINDS if k not in kinds and batch.exists(KINDS[k].id_for(ref))]
    if other:  # a person named where an organisation was expected
        return f"expected {expected(kinds)}; {ref!r} is {_a(kind_name(other[0]))}" + hint_for(
            ref, kinds, batch.known_names
        )
    hint = hint_for(ref, kinds, batch.known_names)
    return f"unknown {what} {ref!r}" + (hint or f"; register it first (no {what} is close)")


def expected(kinds: Collection[str]) -> str:
    """``a country code or an organization id``: what a field referring to ``kinds`` takes."""
    return " or ".join("a country code" if k == "country" else _id_of(k) for k in kinds)


def _id_of(kind: str) -> str:
    return _a(f"{kind_name(kind)} id")


def _a(noun: str) -> str:
    return f"{'an' if noun[0] in 'aeiou' else 'a'} {noun}"


def hint_for(ref: str, kinds: Collection[str], known_names: Any) -> str:
    """``; did you mean …?`` for text that names no registered record of ``kinds``: the ids
    close to it, or to a registered name or alias (``JICA`` → ``jica``), or the country code
    in upper case (``jp`` → ``JP``); empty when nothing is close."""
    upper = ref.upper()
    if (
        "country" in kinds
        and ref != upper
        and _COUNTRY.fullmatch(upper)
        and pycountry.countries.get(alpha_2=upper) is not None
    ):
        return f"; country codes are upper case: did you mean {upper!r}?"
    named = [k for k in kinds if k in KINDS]
    hint = suggest(ref, known_names(named)) if named else ""
    return f"; did you mean {hint}?" if hint else ""


def suggest(ref: str, known: dict[str, list[str]]) -> str:
    """The closest ids to ``ref``, matching on ids and on their names and aliases, whatever
    the case or spacing ``ref`` was typed in."""
    by_label: dict[str, str] = {}
    for slug, names in known.items():
        by_label[slug] = slug
        for name in names:
            by_label.setdefault(_label(name.removeprefix("alias ")), slug)
    close = difflib.get_close_matches(_label(ref), by_label, n=5, cutoff=0.6)
    ids = list(dict.fromkeys(by_label[label] for label in close))[:3]
    return ", ".join(f"{slug!r} ({'; '.join(known[slug])})" for slug in ids)


def _label(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
