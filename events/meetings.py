"""Meetings, what was said at them, and the cooperations they establish."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from diplo.events.envelope import Activity, refers_to
from diplo.events.values import CountryCode, Name, Party, Slug, Text


class MeetingHeld(Activity):
    type: Literal["MeetingHeld"] = "MeetingHeld"
    meeting: Slug
    countries: Annotated[list[CountryCode], Field(min_length=1, max_length=200)]
    participants: Annotated[list[Slug], Field(max_length=200)] = refers_to(
        "person", "org", default=[]
    )
    place: Name | None = None
    topics: Annotated[list[Name], Field(max_length=50)] = []
    summary: Text | None = None


class CommitmentStated(Activity):
    type: Literal["CommitmentStated"] = "CommitmentStated"
    by: Party = refers_to("country", "org", "person")
    statement: Text
    meeting: Slug | None = refers_to("meeting", default=None)


class CooperationEstablished(Activity):
    type: Literal["CooperationEstablished"] = "CooperationEstablished"
    cooperation: Slug
    parties: Annotated[list[Party], Field(min_length=2, max_length=200)] = refers_to(
        "country", "org"
    )
    field: Name
    description: Text | None = None
