"""Registry events: the organisations, people and programmes that activity events refer to."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Literal

from pydantic import Field

from diplo.events.envelope import Fact, refers_to
from diplo.events.values import CountryCode, Name, Party, SectorCode, Slug

Aliases = Annotated[list[Name], Field(max_length=50)]


class OrgKind(str, Enum):
    government = "government"
    ministry = "ministry"
    embassy = "embassy"
    agency = "agency"
    company = "company"
    hospital = "hospital"
    university = "university"
    ngo = "ngo"
    other = "other"


class OrganizationRegistered(Fact):
    type: Literal["OrganizationRegistered"] = "OrganizationRegistered"
    org: Slug
    name: Name
    country: CountryCode
    kind: OrgKind
    aliases: Aliases = []
    parent: Slug | None = refers_to("org", default=None)


class PersonRegistered(Fact):
    type: Literal["PersonRegistered"] = "PersonRegistered"
    person: Slug
    name: Name
    aliases: Aliases = []
    country: CountryCode | None = None


class PersonAppointed(Fact):
    type: Literal["PersonAppointed"] = "PersonAppointed"
    person: Slug = refers_to("person")
    org: Slug = refers_to("org")
    title: Name


class ProgrammeRegistered(Fact):
    type: Literal["ProgrammeRegistered"] = "ProgrammeRegistered"
    programme: Slug
    name: Name
    donor: Party = refers_to("country", "org")
    aliases: Aliases = []
    sector: SectorCode | None = None
