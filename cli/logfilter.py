"""Filters of `diplo log`: type, country (direct or through an org or person), valid time."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from diplo.domain.model.describe import Directory, summarize
from diplo.domain.model.timeaxis import happened_by, valid_day
from diplo.events.catalog import canonical_dict, model_for
from diplo.events.errors import InvalidEvent, Problem
from diplo.events.values import PartialDate

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
            _country(country) if country is not None else None,
            _day(since, "--since", first=True),
            _day(until, "--until", first=False),
            valid_day(valid_at) if valid_at else None,
        )

    def apply(self, log: Iterable[StoredFact]) -> Iterator[tuple[StoredFact, str]]:
        """``(event, summary)`` for the events that pass; registrations teach the directory."""
        directory = Directory()
        for stored in log:
            data = canonical_dict(stored.fact)
            directory.learn(data)
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


def _country(text: str) -> str:
    """An ISO 3166-1 alpha-2 code (ASCII letters; lower case is taken as upper). Anything else
    is an error with a hint, never a filter that silently matches nothing."""
    import pycountry

    code = text.strip()
    if re.fullmatch(r"[A-Za-z]{2}", code) and pycountry.countries.get(alpha_2=code.upper()):
        return code.upper()
    raise InvalidEvent(
        [Problem(f"{text!r} is not a country code; {_country_hint(code)}", "--country")]
    )


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
