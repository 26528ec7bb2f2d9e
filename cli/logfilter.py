"""Filters of `diplo log`: type, country (direct or through an org or person), valid time."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from diplo.domain.model.timeaxis import happened_by, valid_day
from diplo.events.catalog import canonical_dict, model_for
from diplo.events.directory import Directory, summarize
from diplo.events.errors import InvalidEvent, Problem
from diplo.events.values import PartialDate, _country

if TYPE_CHECKING:
    from diplo.domain.app.ledger import StoredFact


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
            model_for(type_name)
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

    def apply(self, log: Iterable[StoredFact]) -> Iterator[tuple[StoredFact, str]]:
        """``(event, summary)`` for the events that pass; registrations teach the directory."""
        directory = Directory()
        for stored in log:
            data = canonical_dict(stored.fact)
            directory.follow(data)
            if self._passes(stored, data, directory):
                yield stored, summarize(data, directory)

    def _passes(self, stored: StoredFact, data: dict[str, object], directory: Directory) -> bool:
        fact = stored.fact
        if self.type_name and fact.type != self.type_name:
            return False
        if self.country and self.country not in directory.countries_in(data):
            return False
        if (
            self.valid_at
            and happened_by(str(fact.occurred_on) if fact.occurred_on else None, self.valid_at)
            is None
        ):
            return False  # not yet happened then (uncertain ones stay, flagged)
        if self.since or self.until:
            when = fact.occurred_on
            if when is None:
                return False
            if self.since and when.latest < self.since:
                return False
            if self.until and when.earliest > self.until:
                return False
        return True


def _country_code(text: str) -> str:
    """The code as given, if it is one: never upper-cased first ("ß" would become "SS").
    Anything else is an error with a hint, never a filter that silently matches nothing."""
    try:
        return _country(text)
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
