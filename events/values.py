"""Value types shared by the whole catalog.

Each type validates *and* normalises, so that two spellings of the same fact have one canonical
form (and therefore one content hash): text is NFC (see ``nfc``), amounts are decimal strings.
Codes and numbers are ASCII and matched exactly, never case-mapped or read in another script's
digits, so a look-alike cannot become a real code or a real amount. Error messages name what was
expected, because a clerk reads them next to a line number.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal
from functools import lru_cache
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
)

from diplo.events.basic import (  # the values' pure-Python half, re-exported
    DATE_PATTERN as DATE_PATTERN,
)
from diplo.events.basic import PartialDate as PartialDate
from diplo.events.basic import TextValue as TextValue
from diplo.events.basic import (
    _ascii_digits,
    _country,
    _currency,
    _language,
    _region,
    json_kind,
)
from diplo.events.basic import known_code as known_code

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
