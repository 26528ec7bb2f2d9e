"""The envelope every event carries, and the base classes of the catalog."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, StringConstraints

from diplo.events.values import EventKey, LanguageCode, Name, PartialDate, Text

URL_PATTERN = r"^https?://[^\s]+$"
Url = Annotated[str, StringConstraints(pattern=URL_PATTERN, max_length=2000)]


def refers_to(*kinds: str, **extra: Any) -> Any:
    """Declare which registered kinds a field names (person, org, programme…).

    The domain reads this to check references; JSON Schema shows it to users as ``x-refers-to``.
    """
    return Field(json_schema_extra={"x-refers-to": list(kinds)}, **extra)


class Source(BaseModel):
    """Where a fact was read: the provenance an auditor asks for."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    publisher: Name
    title: Annotated[Name, StringConstraints(max_length=500)]
    url: Url | None = None
    author: Name | None = None
    published_on: PartialDate | None = None
    language: LanguageCode | None = None


class Fact(BaseModel):
    """Base of every catalog event: the envelope fields.

    Frozen and strict: an unknown field is an error, not silently dropped.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    SCHEMA_VERSION: ClassVar[int] = 1

    type: str
    key: EventKey | None = Field(
        default=None,
        description="Idempotency key; default: a hash of the canonical content.",
    )
    occurred_on: PartialDate | None = Field(default=None, description="Valid time (EDTF).")
    sources: Annotated[list[Source], Field(max_length=50)] = []
    recorded_by: Name | None = Field(
        default=None,
        description=(
            "Who recorded it: set by diplo to whoever ran the command (the OS user, or the "
            "PostgreSQL role), never taken from the input; a name given here is kept as "
            "reported_by."
        ),
    )
    reported_by: Name | None = Field(
        default=None,
        description="Who reported it (as the input says; diplo does not check it).",
    )
    note: Text | None = None

    # Caches of the canonical content and its hash (frozen fields, so they never go stale).
    # They leave out key, recorder and reporter, so the copy that stamps them keeps all.
    _content: dict[str, Any] | None = PrivateAttr(default=None)
    _content_digest: str | None = PrivateAttr(default=None)


class Activity(Fact):
    """Something that happened between countries: it must say when (valid time)."""

    occurred_on: PartialDate = Field(description="When it happened (EDTF partial date).")
