"""What a fact is about, in words and in countries: shared by the log, the views and reports.

Works on the canonical JSON data of a fact (plain dicts), so the projections can use it on
stored bytes without building pydantic models. Which fields name parties, and how a type is
summarised, come from its declaration.
"""

from __future__ import annotations

from collections.abc import MutableMapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from diplo.events.declaration import Declaration, declaration_of
from diplo.events.identifiers import iati_identifier

Data = dict[str, Any]


@dataclass
class Directory:
    """The country and name of every registered organisation and person."""

    countries: MutableMapping[str, str] = field(default_factory=dict)
    names: MutableMapping[str, str] = field(default_factory=dict)
    # Countries of the records activities created (a grant, a loan, a project), by kind and id;
    # filled only by readers of the whole log in order (``follow``): the log and the audit.
    records: MutableMapping[tuple[str, str], Sequence[str]] = field(default_factory=dict)
    # The reporting organisation of IATI identifiers in view rows (the ledger's own); empty
    # where the ledger is not known, and the rows then have none.
    iati_org: str = ""

    def iati_identifier(self, kind: str, record_id: str) -> str | None:
        """The IATI activity identifier `diplo export --format iati` gives this record."""
        return iati_identifier(self.iati_org, kind, record_id) if self.iati_org else None

    def learn(self, data: Data, declaration: Declaration | None = None) -> None:
        """Remember what a registration (or its corrected form) says. ``declaration`` is
        its type's, if the caller has looked it up (every method here takes it: a rebuild
        asks them all for each of millions of events, and looks it up once)."""
        declaration = declaration or declaration_of(data["type"])
        if declaration is None or not declaration.registers:
            return
        subject = data.get(declaration.subject)
        if subject is None or "name" not in data:
            return
        self.names[subject] = data["name"]
        if data.get("country"):
            self.countries[subject] = data["country"]

    def follow(self, data: Data, declaration: Declaration | None = None) -> list[str] | None:
        """Learn a registration, and remember the countries of a record an activity creates,
        so that an event acting on it later (equipment funded by a grant, money disbursed
        under a loan, a project's milestone), which names no country itself, is found under
        the record's countries."""
        declaration = declaration or declaration_of(data["type"])
        if declaration is None:
            return None
        if declaration.registers:  # nothing else teaches ``learn`` anything
            self.learn(data, declaration)
        if declaration.creates and declaration.on_timeline:
            subject = data.get(declaration.subject)
            if isinstance(subject, str):
                countries = self.countries_in(data, declaration)
                if declaration.named_later:  # else nothing will ask: the views keep no row
                    self.records[(declaration.record, subject)] = _shared(tuple(countries))
                return countries  # what it found, so a caller need not look again
        return None

    def country_of(self, party: str | None) -> str | None:
        if party is None:
            return None
        # Validated values: a country is exactly two upper-case letters, an id never is.
        return party if len(party) == 2 and party.isupper() else self.countries.get(party)

    def name_of(self, party: str) -> str:
        return self.names.get(party, party)

    def countries_in(self, data: Data, declaration: Declaration | None = None) -> list[str]:
        """Every country ``data`` involves, directly or through an org or person it names."""
        declaration = declaration or declaration_of(data["type"])
        found: set[str] = set()
        countries = self.countries
        for name in declaration.parties if declaration else ():
            value = data.get(name)
            if value is None:
                continue
            for party in value if isinstance(value, list) else (value,):
                # ``country_of``, inline: asked for every party of every event
                country = party if len(party) == 2 and party.isupper() else countries.get(party)
                if country:
                    found.add(country)
        if declaration and not declaration.creates:
            subject = data.get(declaration.subject)
            for kind in declaration.records:
                found.update(self.records.get((kind, str(subject)), ()))
        return sorted(found)


@lru_cache(maxsize=4096)
def _shared(countries: tuple[str, ...]) -> tuple[str, ...]:
    """One tuple for each set of countries, shared by every record that has it: a reader of
    the whole log in memory (a rebuild) remembers the countries of every record, hundreds of
    thousands on a long log, where a few hundred sets cover them all; as lists of fresh
    strings, a 1M rebuild took 171-173 MB, now 133-135 MB."""
    return countries


def summarize(data: Data, directory: Directory, declaration: Declaration | None = None) -> str:
    """One line a reader understands without the catalog at hand."""
    declaration = declaration or declaration_of(data["type"])
    if declaration is None:
        return str(data["type"])
    return declaration.summary(data, directory.name_of)


def log_line(
    directory: Directory, data: Data, declaration: Declaration | None = None
) -> tuple[list[str], str]:
    """Follow the next event of the log (in order): the countries it involves and its
    summary, as `diplo log` shows and filters it. The views keep these (``_log``) so that a
    log read needs no declaration; the log computes them itself when the views are behind.
    ``declaration`` is the event's type's, if the caller has looked it up."""
    declaration = declaration or declaration_of(data["type"])
    found = directory.follow(data, declaration)
    countries = directory.countries_in(data, declaration) if found is None else found
    return countries, summarize(data, directory, declaration)
