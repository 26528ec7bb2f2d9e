"""Values that need no pydantic: partial dates, and the ISO codes checked against pycountry.

Split from ``values`` (which re-exports them, and builds the pydantic types on top) so that a
command that only reads, a log filter or a report's country, can use them without importing
pydantic: a read command's whole budget is smaller than pydantic's import.
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from functools import cache, lru_cache, total_ordering
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
    from pydantic_core import core_schema


def _ascii_digits(text: str, what: str) -> None:
    """Refuse digits of other scripts (``1٠٠٠``, ``２０２４``): Python reads them as numbers,
    so they would be summed and dated while looking unlike what is stored."""
    if not text.isascii() and any(char.isnumeric() for char in text if not char.isascii()):
        raise ValueError(f"{what} {text!r} has non-ASCII digits; expected ASCII digits 0-9")


def _unknown_code(kind: str, code: str, expected: str, case: str = "upper") -> ValueError:
    """The refusal of a code, with a hint when only its case is wrong (``jp`` for ``JP``).

    Codes are matched exactly, never case-mapped first: ``"ß".upper()`` is ``"SS"`` (South
    Sudan) and ``"ı".upper()`` is ``"I"``, so a mapped look-alike would become a real code.
    """
    fixed = code.upper() if case == "upper" else code.lower()
    if code.isascii() and fixed != code and known_code(kind, fixed):
        return ValueError(
            f"unknown {kind} {code!r}; {kind} codes are {case} case: did you mean {fixed!r}?"
        )
    return ValueError(f"unknown {kind} {code!r}; expected {expected}")


def known_code(kind: str, code: str) -> bool:
    """Whether ``code`` is a valid code of ``kind`` (country, region, currency, language)."""
    check = {"country": _country, "region": _region, "currency": _currency}.get(kind, _language)
    try:
        check(code)
    except ValueError:
        return False
    return True


@lru_cache(maxsize=4096)
def _country(code: str) -> str:
    import pycountry

    if not re.fullmatch(r"[A-Z]{2}", code) or pycountry.countries.get(alpha_2=code) is None:
        raise _unknown_code("country", code, "an ISO 3166-1 alpha-2 code like 'JP'")
    return code


def country_code(code: str) -> str:
    """``_country`` for readers (a report's or the log's country): a code in pycountry's
    list is answered from its file (``iso_countries``) without importing pycountry, and
    anything else is refused by ``_country`` itself, in its words."""
    return code if code in _alpha_2() else _country(code)


@cache
def _alpha_2() -> frozenset[str]:
    return frozenset(country["alpha_2"] for country in iso_countries())


@cache
def iso_countries() -> list[dict[str, Any]]:
    """pycountry's ISO 3166-1 entries (``alpha_2``, ``name``, ``common_name``…), read from
    its data file where pycountry keeps it: importing pycountry looks its own version up
    among every installed distribution, a third of a quick report's start. Through
    pycountry itself if the file is not there (tests/events/test_basic.py: the same list)."""
    try:
        return _iso_3166_1()
    except (OSError, ValueError, KeyError, TypeError):
        import pycountry

        fields = ("alpha_2", "name", "common_name")
        return [{f: getattr(c, f, None) for f in fields} for c in pycountry.countries]


def _iso_3166_1() -> list[dict[str, Any]]:
    from importlib.util import find_spec
    from pathlib import Path

    import orjson

    spec = find_spec("pycountry")
    if spec is None or spec.origin is None:
        raise OSError("pycountry is not installed")
    path = Path(spec.origin).parent / "databases" / "iso3166-1.json"
    entries = orjson.loads(path.read_bytes())["3166-1"]
    if not isinstance(entries, list) or not all("alpha_2" in e and "name" in e for e in entries):
        raise ValueError("pycountry's ISO 3166-1 file has another shape")
    return entries


@lru_cache(maxsize=4096)
def _region(code: str) -> str:
    import pycountry

    if not re.fullmatch(r"[A-Z]{2}-[A-Z0-9]{1,3}", code) or (
        pycountry.subdivisions.get(code=code) is None
    ):
        raise _unknown_code("region", code, "an ISO 3166-2 code like 'UZ-SA'")
    return code


# ISO 4217 lists these, but they name no money: "no currency" and "for testing".
_NOT_MONEY = {"XXX", "XTS"}


@lru_cache(maxsize=4096)
def _currency(code: str) -> str:
    import pycountry

    if (
        not re.fullmatch(r"[A-Z]{3}", code)
        or code in _NOT_MONEY
        or pycountry.currencies.get(alpha_3=code) is None
    ):
        raise _unknown_code("currency", code, "an ISO 4217 code like 'JPY'")
    return code


@lru_cache(maxsize=4096)
def _language(code: str) -> str:
    import pycountry

    if not re.fullmatch(r"[a-z]{2}", code) or pycountry.languages.get(alpha_2=code) is None:
        raise _unknown_code("language", code, "an ISO 639-1 code like 'en'", case="lower")
    return code


def json_kind(value: Any) -> str:
    """What a wrong value is, in JSON's words (not Python's: ``NoneType``, ``int``)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, (int, float)):
        return "a number"
    kinds: dict[type, str] = {list: "a list", dict: "an object", str: "text"}
    return kinds.get(type(value), "another value")


_PARTIAL = re.compile(r"(?P<y>[0-9]{4})(?:-(?P<m>[0-9]{2})(?:-(?P<d>[0-9]{2}))?)?(?P<q>[?~%])?")


# An EDTF date as JSON Schema states it (the parser below is what decides).
DATE_PATTERN = r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?[?~%]?"


class TextValue:
    """A value kept as the text it was recorded as, parsed on input: pydantic validates it
    with ``cls(text)`` and serialises it back to that text."""

    __slots__ = ("text",)
    EXPECTED = "a string"  # what to ask for when the input is not even a string

    def __init__(self, text: str) -> None:
        self.text = text

    def __str__(self) -> str:
        return self.text

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        from pydantic_core import core_schema

        return core_schema.no_info_plain_validator_function(
            cls._validate,
            serialization=core_schema.plain_serializer_function_ser_schema(str),
        )

    @classmethod
    def _validate(cls, value: Any) -> Any:
        if isinstance(value, str):
            return _parsed(cls, value)
        if isinstance(value, cls):
            return value
        raise ValueError(f"expected {cls.EXPECTED}, got {json_kind(value)}")


_PARSED: dict[tuple[type, str], TextValue] = {}  # cleared when full: memory stays bounded


def _parsed(kind: type[TextValue], text: str) -> TextValue:
    """One value per text, parsed once: values are never changed after parsing, and an
    import repeats its dates (a date's parse cost a tenth of validating an event)."""
    key = (kind, text)
    value = _PARSED.get(key)
    if value is None:
        if len(_PARSED) >= 16384:
            _PARSED.clear()
        value = _PARSED[key] = kind(text)
    return value


@total_ordering
class PartialDate(TextValue):
    """An EDTF date (level 0, plus the level-1 qualifiers ``?`` uncertain, ``~`` approximate,
    ``%`` both): ``2024``, ``2024-03``, ``2024-03-15``, ``2024~``.

    It keeps the text exactly as recorded and orders by the earliest, then the latest, day it
    may stand for, so ``2024`` sorts before ``2024-03-15`` and both before ``2025``.
    """

    __slots__ = ("earliest", "latest", "qualifier")
    EXPECTED = "a date string like '2024-03-15'"

    def __init__(self, text: str) -> None:
        if isinstance(text, str):
            _ascii_digits(text, "date")
        match = _PARTIAL.fullmatch(text) if isinstance(text, str) else None
        if match is None:
            raise ValueError(
                f"invalid date {text!r}; expected EDTF like '2024', '2024-03', '2024-03-15', "
                "optionally followed by '?' or '~'"
            )
        year, month, day = match["y"], match["m"], match["d"]
        try:
            self.earliest, self.latest = _bounds(int(year), month, day)
        except ValueError:
            raise ValueError(f"invalid date {text!r}: no such day in the calendar") from None
        self.text = text
        self.qualifier = match["q"] or ""

    @property
    def uncertain(self) -> bool:
        """True when the date is qualified: uncertain (``?``), approximate (``~``) or both.
        A month or a year is imprecise, not uncertain: ``2024-03`` is surely in March."""
        return bool(self.qualifier)

    @property
    def precision(self) -> str:
        """``day``, ``month`` or ``year``: how finely the date was recorded."""
        digits = len(self.text.rstrip("?~%"))
        return {4: "year", 7: "month"}.get(digits, "day")

    def _key(self) -> tuple[date, date, str]:
        return (self.earliest, self.latest, self.text)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PartialDate) and self._key() == other._key()

    def __lt__(self, other: PartialDate) -> bool:
        return self._key() < other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"PartialDate({self.text!r})"

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> dict[str, Any]:
        return {
            "type": "string",
            "pattern": f"^{DATE_PATTERN}$",
            "description": "EDTF level-0 date, optional level-1 qualifier",
            "examples": ["2024", "2024-03", "2024-03-15", "2024~"],
        }


def _bounds(year: int, month: str | None, day: str | None) -> tuple[date, date]:
    if month is None:
        return date(year, 1, 1), date(year, 12, 31)
    m = int(month)
    if day is None:
        return date(year, m, 1), date(year, m, calendar.monthrange(year, m)[1])
    exact = date(year, m, int(day))
    return exact, exact
