"""The envelope every event carries, and the base classes of the catalog."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from diplo.events.values import (
    EMPTY_BY_DEFAULT,
    EventKey,
    LanguageCode,
    Name,
    PartialDate,
    Text,
    Title,
)

URL_PATTERN = r"^https?://[^\s]+$"
Url = Annotated[str, StringConstraints(pattern=URL_PATTERN, max_length=2000)]


def refers_to(*kinds: str, **extra: Any) -> Any:
    """Declare which registered kinds a field names (person, org, programme…).

    The domain reads this to check references; JSON Schema shows it to users as ``x-refers-to``.
    """
    return Field(json_schema_extra={"x-refers-to": list(kinds)}, **extra)


def party(who: str, example: str) -> Any:
    """A field naming a party (a donor, a lender, a recipient…): a country or a registered
    organisation, checked as a reference, described and exemplified like every field."""
    return refers_to(
        "country",
        "org",
        description=f"{who}: a country code or a registered organisation id.",
        examples=[example],
    )


def signed_at() -> Any:
    """The meeting at which an agreement, grant or loan was signed (optional)."""
    return refers_to(
        "meeting",
        default=None,
        description="The meeting at which it was signed.",
        examples=["uza-676233-meeting"],
    )


def signed_by() -> Any:
    """The registered people who signed an agreement, grant or loan (a list, maybe empty)."""
    return refers_to(
        "person",
        **EMPTY_BY_DEFAULT,
        description="The registered people who signed it.",
        examples=[["hatori-takashi"]],
    )


def signed_under() -> Any:
    """The recorded agreement (an exchange of notes…) a grant or loan was signed under."""
    return refers_to(
        "agreement",
        default=None,
        description="The agreement it was signed under.",
        examples=["jp-uz-exchange-2025"],
    )


def described(description: str, example: Any, **extra: Any) -> Any:
    """A field's meaning and one valid value: the JSON Schema (`diplo schema`),
    `diplo record TYPE --help` and docs/events.md all show both, so help teaches by example."""
    return Field(description=description, examples=[example], **extra)


class Source(BaseModel):
    """Where a fact was read: the provenance an auditor asks for."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    publisher: Name = described("Who published it (a news agency, a ministry, a paper).", "UzA")
    title: Title = described(
        "The title of the article or document.", "Japan funds equipment for Samarkand"
    )
    url: Url | None = described(
        "Where to read it: an http:// or https:// address.",
        "https://uza.uz/en/posts/676233",
        default=None,
    )
    author: Name | None = described("Who wrote it.", "Dilnoza Karimova", default=None)
    published_on: PartialDate | None = described(
        "When it was published (EDTF partial date).", "2025-03-16", default=None
    )
    language: LanguageCode | None = described(
        "Its language (ISO 639-1, lower case).", "en", default=None
    )


class Fact(BaseModel):
    """Base of every catalog event: the envelope fields.

    Frozen and strict: an unknown field is an error, not silently dropped.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    SCHEMA_VERSION: ClassVar[int] = 1

    type: str
    key: EventKey | None = Field(
        default=None,
        description=(
            "Idempotency key: importing the same key and content again records nothing new. "
            "Default: sha256: and a hash of the canonical content."
        ),
        examples=["uza-676233/grant/ggp-spmc-pohi"],
    )
    occurred_on: PartialDate | None = described(
        "When it happened (valid time): an EDTF partial date, year, month or day, with ? ~ % "
        "for uncertain or approximate.",
        "2025-03-15",
        default=None,
    )
    sources: Annotated[list[Source], Field(max_length=50)] = described(
        "Where it was read: a list of sources, each {publisher, title, url?, author?, "
        "published_on?, language?}.",
        [
            {
                "publisher": "UzA",
                "title": "Japan funds equipment for Samarkand",
                "url": "https://uza.uz/en/posts/676233",
            }
        ],
        **EMPTY_BY_DEFAULT,
    )
    recorded_by: Name | None = Field(
        default=None,
        description=(
            "Who recorded it: set by diplo to whoever ran the command (the OS user, or the "
            "PostgreSQL role), never taken from the input; a name given here is kept as "
            "reported_by."
        ),
        examples=["clerk"],
    )
    reported_by: Name | None = Field(
        default=None,
        description="Who reported it (as the input says; diplo does not check it).",
        examples=["Embassy of Japan, press office"],
    )
    note: Text | None = described(
        "A clerk's note: anything worth knowing that is not a field.",
        "Amount from the embassy press release",
        default=None,
    )

    # The canonical content and its hash are cached in ``__pydantic_private__``, made on first
    # use (see ``diplo.events.catalog``), not declared as private attributes: pydantic would
    # initialise them by a Python call per model and per base class, a sixth of validating.


class Activity(Fact):
    """Something that happened between countries: it must say when (valid time)."""

    occurred_on: PartialDate = described(
        "When it happened (valid time; required): an EDTF partial date, year, month or day, "
        "with ? ~ % for uncertain or approximate.",
        "2025-03-15",
    )
