"""Filters of `diplo log`: type, country (direct or through an org or person), valid time."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple

from diplo.domain.model.timeaxis import happened_by, valid_day
from diplo.events.basic import PartialDate, country_code
from diplo.events.errors import InvalidEvent, Problem

if TYPE_CHECKING:
    from diplo.domain.app.ledger import StoredFact


class Entry(NamedTuple):
    """One event as `diplo log` lists it, however it was read."""

    position: int
    key: str
    type: str
    recorded_at: str  # ISO 8601
    occurred: PartialDate | None
    summary: str
    event: dict[str, Any]  # the canonical data


@dataclass(frozen=True)
class LogFilter:
    type_name: str | None = None
    country: str | None = None
    since: date | None = None
    until: date | None = None
    valid_at: date | None = None

    @classmethod
    def parse(
        cls,
        type_name: str | None,
        country: str | None,
        since: str | None,
        until: str | None,
        valid_at: str | None = None,
    ) -> LogFilter:
        if type_name:
            _known_type(type_name)
        return cls(
            type_name,
            _country_code(country) if country is not None else None,
            _day(since, "--since", first=True),
            _day(until, "--until", first=False),
            valid_day(valid_at, "--valid-at") if valid_at else None,
        )

    def uncertain(self, occurred: PartialDate | None) -> bool:
        """Whether a reader should be warned about this date: with ``--valid-at``, that it may
        or may not have happened by then; otherwise, that it is qualified (``?``, ``~``). A
        month or a year alone is imprecise, not uncertain."""
        if occurred is None:
            return False
        if self.valid_at:
            return happened_by(str(occurred), self.valid_at) == "uncertain"
        return occurred.uncertain

    def apply(self, log: Iterable[StoredFact]) -> Iterator[Entry]:
        """The events that pass, read from the ledger; registrations teach the directory."""
        from diplo.domain.store.spill import following
        from diplo.events.catalog import canonical_dict
        from diplo.events.directory import log_line

        with following() as directory:  # in flat memory, however long the log
            for stored in log:
                data = canonical_dict(stored.fact)
                countries, summary = log_line(directory, data)
                if self.passes(data, countries):
                    yield Entry(
                        stored.position,
                        stored.key,
                        stored.fact.type,
                        stored.recorded_at.isoformat(),
                        stored.fact.occurred_on,
                        summary,
                        data,
                    )

    def select(self, logged: Iterable[tuple[int, bytes, str, list[str]]]) -> Iterator[Entry]:
        """The events that pass, from stored rows (``position, state``) with the summary and
        countries the views keep for each (``_log``): the same entries as ``apply``."""
        from datetime import datetime

        from diplo.domain.store.records import decode_data

        for position, state, summary, countries in logged:
            data, recorded_at = decode_data(state)
            if self.passes(data, countries):
                occurred_on = data.get("occurred_on")
                yield Entry(
                    position,
                    data["key"],
                    data["type"],
                    datetime.fromisoformat(recorded_at).isoformat(),
                    PartialDate(occurred_on) if occurred_on else None,
                    summary,
                    data,
                )

    def passes(self, data: dict[str, Any], countries: list[str]) -> bool:
        """Whether the event (its canonical data, the countries it involves) is shown."""
        if self.type_name and data["type"] != self.type_name:
            return False
        if self.country and self.country not in countries:
            return False
        occurred_on = data.get("occurred_on")
        if self.valid_at and happened_by(occurred_on, self.valid_at) is None:
            return False  # not yet happened then (uncertain ones stay, flagged)
        if self.since or self.until:
            if occurred_on is None:
                return False
            when = PartialDate(occurred_on)
            if self.since and when.latest < self.since:
                return False
            if self.until and when.earliest > self.until:
                return False
        return True


def _known_type(type_name: str) -> None:
    """Refuse a type that is not in the catalog, with the catalog's suggestions; a known one
    is found in the generated data without building the catalog."""
    from diplo.events.declared import type_names

    if type_name not in type_names():
        from diplo.events.catalog import model_for

        model_for(type_name)  # raises, suggesting the closest names


def _country_code(text: str) -> str:
    """The code as given, if it is one: never upper-cased first ("ß" would become "SS").
    Anything else is an error with a hint, never a filter that silently matches nothing."""
    try:
        return country_code(text)
    except ValueError as error:
        message = str(error)
        if "upper case" not in message:
            message = f"{message}; {_country_hint(text.strip())}"
        raise InvalidEvent([Problem(message, "--country")]) from None


def _country_hint(text: str) -> str:
    import pycountry

    expected = "expected an ISO 3166-1 alpha-2 code like JP or UZ"
    if not text.isascii() or not text.isprintable():
        return expected
    try:
        found = pycountry.countries.lookup(text)  # a name or an alpha-3 code
    except LookupError:
        return expected
    return f"did you mean {found.alpha_2} ({found.name})? ({expected})"


def _day(text: str | None, option: str, *, first: bool) -> date | None:
    if text is None:
        return None
    try:
        parsed = PartialDate(text)
    except ValueError as error:
        raise InvalidEvent([Problem(str(error), option)]) from None
    return parsed.earliest if first else parsed.latest
