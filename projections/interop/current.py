"""The ledger as an exporter needs it: every event in its current form, with its countries.

Exports speak of what the ledger holds now (or as of a position): each event with its
corrections applied, retracted ones left out, and the countries of its actors in the order its
declaration names them (donor before recipient). An event that acts on a record it does not
create (a disbursement, a milestone) takes the countries of that record first.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import closing
from dataclasses import dataclass
from typing import TYPE_CHECKING

from diplo.domain.store.records import decode_data
from diplo.domain.store.spill import Spilled, following
from diplo.events.declaration import Data, Declaration, Meta, declarations
from diplo.events.directory import Directory
from diplo.projections.plan import CORRECTIONS, Plan

if TYPE_CHECKING:
    from diplo.domain.app.ledger import Ledger


@dataclass(frozen=True)
class Current:
    """One event as it stands: data with corrections applied, where it is, whom it involves."""

    data: Data
    meta: Meta
    declaration: Declaration
    countries: tuple[str, ...]


def stored_events(ledger: Ledger, stop: int | None = None) -> Iterator[tuple[Data, Meta]]:
    """The log up to ``stop`` as plain data (the projections' fast path, no models built)."""
    if stop == 0:
        return
    for stored in ledger.read(stop=stop):
        data, recorded_at = decode_data(stored.state)
        yield data, Meta(data["key"], stored.position, recorded_at)


def current_events(log: Iterable[tuple[Data, Meta]], plan: Plan | None = None) -> Iterator[Current]:
    """Every event of ``log`` that is not a correction nor retracted, in log order, as it is
    read. ``plan`` holds every correction of the log, read beforehand (``amendments``); without
    it the log is held whole, to find them first."""
    if plan is None:
        log = list(log)
        plan = Plan()
        for data, _ in log:
            if data["type"] in CORRECTIONS:
                plan.add(data)
    known = declarations()
    # The countries of each record a later event may act on (a grant, a loan, a project):
    # only of the kinds some event acts on, so the rest (meetings…) are not kept.
    acted_on = {kind for d in known.values() if not d.creates for kind in d.records}
    # In flat memory, however long the log: records' countries by (kind, id).
    with following() as directory, closing(Spilled()) as records:
        for original, meta in log:
            if original["type"] in CORRECTIONS:
                continue
            data, status = plan.final(original)
            declaration = known[data["type"]]
            directory.learn(data)
            countries = _countries(data, declaration, directory, records)
            subject = data.get(declaration.subject)
            if declaration.creates and declaration.record in acted_on and isinstance(subject, str):
                records[(declaration.record, subject)] = countries
            if status != "retracted":
                meta = Meta(meta.key, meta.position, meta.recorded_at, status)
                yield Current(data, meta, declaration, countries)


def exported(ledger: Ledger, stop: int | None) -> Iterator[Current]:
    """``current_events`` of the ledger as of ``stop`` (its head if None), streamed: its
    corrections are read first, alone (``runner.corrections_until``), then the log once."""
    from diplo.projections.runner import corrections_until

    stop = ledger.head() if stop is None else stop
    with closing(Spilled()) as corrections:  # by target: in flat memory, however many
        plan = corrections_until(ledger, stop, plan=Plan(amendments=corrections))
        yield from current_events(stored_events(ledger, stop), plan)


def _countries(
    data: Data,
    declaration: Declaration,
    directory: Directory,
    records: Mapping[tuple[str, str], tuple[str, ...]],
) -> tuple[str, ...]:
    found: list[str] = []
    if not declaration.creates:
        subject = data.get(declaration.subject)
        for kind in declaration.records:
            found.extend(records.get((kind, subject), ()) if isinstance(subject, str) else ())
    for name in declaration.parties:
        value = data.get(name)
        for party in value if isinstance(value, list) else [value]:
            country = directory.country_of(party) if isinstance(party, str) else None
            if country and country not in found:
                found.append(country)
    return tuple(dict.fromkeys(found))
