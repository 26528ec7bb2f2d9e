"""Value types shared by the whole catalog.

Each type validates *and* normalises, so that two spellings of the same fact have one canonical
form (and therefore one content hash): text is NFC (see ``nfc``), amounts are decimal strings.
Codes and numbers are ASCII and matched exactly, never case-mapped or read in another script's
digits, so a look-alike cannot become a real code or a real amount. Error messages name what was
expected, because a clerk reads them next to a line number.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from decimal import Decimal
from functools import lru_cache, total_ordering
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    StringConstraints,
)
from pydantic_core import core_schema

SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
KEY_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:/-]*$"
CONTROLS = r"\x00-\x08\x0b-\x1f\x7f"  # refused in a text: control characters, but tab and newline
LINE_CONTROLS = r"\x00-\x1f\x7f"  # refused in a name: every control character
_CONTROL = re.compile(f"[{CONTROLS}]")
_CONTROL_SHORT = re.compile(f"[{LINE_CONTROLS}]")


# ``isprintable`` first: true for nearly every text, and it rules out every control character
# (they are all unprintable), at a fraction of the cost of a regular expression.
def _no_control(text: str) -> str:
    if not text.isprintable() and _CONTROL.search(text):
        raise ValueError("control characters are not allowed (only newline and tab)")
    return text


def _single_line(text: str) -> str:
    if not text.isprintable() and _CONTROL_SHORT.search(text):
        raise ValueError("control characters and line breaks are not allowed in a name")
    return text


Slug = Annotated[
    str,
    StringConstraints(pattern=SLUG_PATTERN, max_length=64),
]
"""A lowercase id such as ``moh-uz``: unique within its kind, stable forever."""

EventKey = Annotated[str, StringConstraints(pattern=KEY_PATTERN, min_length=1, max_length=200)]
Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=300),
    AfterValidator(_single_line),
]
Title = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=500),
    AfterValidator(_single_line),
]
"""A title of an article or document: one line, like a ``Name``, but headlines run longer."""
Text = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=4000),
    AfterValidator(_no_control),
]


def nfc(data: Any) -> Any:
    """``data`` (JSON data) with every string value in Unicode NFC.

    One text typed in two normal forms (``é`` as one code point, or ``e`` and a combining
    accent) is one fact: it must have one canonical form and one content hash. Names of
    fields are left as typed, so an unknown one is reported as it was written. ASCII is its
    own NFC, which keeps the common case cheap.
    """
    if isinstance(data, str):
        return data if data.isascii() else unicodedata.normalize("NFC", data)
    if isinstance(data, dict):
        return {name: nfc(value) for name, value in data.items()}
    if isinstance(data, list):
        return [nfc(value) for value in data]
    return data


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


# Set while stored facts are read back (see ``stored_facts``).
_STORED: ContextVar[bool] = ContextVar("stored", default=False)


@contextmanager
def stored_facts() -> Iterator[None]:
    """Read stored facts: their codes were checked against the ISO lists when they were
    recorded, and are not checked again. Reading needs no ISO list (no pycountry), and a fact
    stays readable after a later list withdraws one of its codes: nothing recorded is lost."""
    token = _STORED.set(True)
    try:
        yield
    finally:
        _STORED.reset(token)


def on_input() -> bool:
    """Whether values are checked as input (not read back as stored, see ``stored_facts``)."""
    return not _STORED.get()


# Each code validator pydantic calls, with the kind of code it checks (country, party…):
# diplo.events.quick states the same rules as constraints pydantic-core checks itself.
CODE_KINDS: dict[Callable[[Any], Any], str] = {}


def _code(check: Callable[[str], str]) -> BeforeValidator:
    """A code: a JSON string (told in JSON's words when it is not one), then ``check``, run
    on input only: what is stored was checked when it was recorded. One Python call per
    value, as validating an import calls it for every code of every line."""

    def validate(value: Any) -> Any:
        if not isinstance(value, str):
            raise ValueError(f"expected a JSON string, got {json_kind(value)}")
        return value if _STORED.get() else check(value)

    CODE_KINDS[validate] = check.__name__.strip("_")
    return BeforeValidator(validate)


@lru_cache(maxsize=4096)
def _country(code: str) -> str:
    import pycountry

    if not re.fullmatch(r"[A-Z]{2}", code) or pycountry.countries.get(alpha_2=code) is None:
        raise _unknown_code("country", code, "an ISO 3166-1 alpha-2 code like 'JP'")
    return code


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


CountryCode = Annotated[str, _code(_country)]
RegionCode = Annotated[str, _code(_region)]
CurrencyCode = Annotated[str, _code(_currency)]
LanguageCode = Annotated[str, _code(_language)]


@lru_cache(maxsize=4096)
def _sector(code: str) -> str:
    _ascii_digits(code, "sector")
    # The codelist decides (a withdrawn code such as 23010 is known, though its group 230 is
    # no longer a sector group: whether it may be used depends on the event's date).
    if not re.fullmatch(r"[0-9]{5}", code):
        raise ValueError(
            f"unknown sector {code!r}; expected an OECD DAC CRS 5-digit purpose code like '12191'"
        )
    from diplo.events.sectors import check_sector

    return check_sector(code)


SectorCode = Annotated[str, _code(_sector)]


@lru_cache(maxsize=4096)
def _party(value: str) -> str:
    """A donor, party or speaker: a country (upper case) or an organisation id (slug)."""
    if re.fullmatch(r"[A-Z]{2}", value):
        return _country(value)
    if re.fullmatch(SLUG_PATTERN, value) and len(value) <= 64:
        return value
    raise ValueError(
        f"{value!r} is neither a country code like 'JP' nor an organization id like 'moh-uz'"
    )


Party = Annotated[str, _code(_party)]

DECIMAL_PATTERN = r"(0|[1-9][0-9]{0,17})(\.[0-9]{1,6})?"
_DECIMAL = re.compile(DECIMAL_PATTERN)


def _amount(value: Any) -> str:
    if isinstance(value, (bool, int, float)):
        raise ValueError(
            f'expected a decimal string such as "{value}", not a JSON number '
            "(numbers may lose precision)"
        )
    if isinstance(value, str):
        _ascii_digits(value, "amount")
    if not isinstance(value, str) or not _DECIMAL.fullmatch(value):
        raise ValueError(
            f'expected a non-negative decimal string like "10000000" or "2500.50", got {value!r}'
        )
    return value


class Money(BaseModel):
    """An amount in one currency. The value is a decimal string: floats are refused.

    Without a qualifier the amount is exact; ``up-to`` is a ceiling ("a loan of up to 50 billion
    yen"), ``about`` an approximation. Reports show the qualifier beside the amount.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    value: Annotated[str, BeforeValidator(_amount)] = Field(
        description="The amount: a decimal string in ASCII digits, never a JSON number.",
        examples=["10000000"],
    )
    currency: CurrencyCode = Field(
        description="An ISO 4217 currency code, upper case.", examples=["JPY"]
    )
    qualifier: Literal["up-to", "about"] | None = Field(
        default=None,
        description="up-to for a ceiling, about for an approximation; none when exact.",
        examples=["up-to"],
    )

    @property
    def decimal(self) -> Decimal:
        return Decimal(self.value)


# A list field's default: empty. pydantic deep-copies, for every model validated without the
# field, a default it cannot hash (``[]``): 3 µs each, a third of validating a grant. An empty
# tuple is hashable and, validated, becomes a new empty list: the same models and the same
# JSON Schema (``"default": []``) for a fraction of the cost. Used as ``**EMPTY_BY_DEFAULT``.
EMPTY_BY_DEFAULT: dict[str, Any] = {"default": (), "validate_default": True}

# Amounts as stated in other currencies ("approx. US$2.38 million"): shown beside, never summed.
Equivalents = Annotated[list[Money], Field(max_length=10)]


def distinct_parties(first: str, second: str, names: str) -> None:
    """A bilateral flow has two sides: a grant from JP to JP tells nothing truthfully."""
    if first == second:
        raise ValueError(f"{names} are the same ({first!r}); they must be two different parties")


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
