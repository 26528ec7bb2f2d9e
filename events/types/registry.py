"""Registry events: the organisations, people and programmes that activity events refer to.

Registrations of organisations and people lend their names and countries to the rows of
events that name them (``registers``).
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field

from diplo.events.declaration import Data, Meta, Rows, Table, declare
from diplo.events.envelope import Fact, refers_to
from diplo.events.rows import KEY, STATUS, joined

if TYPE_CHECKING:
    from diplo.events.directory import Directory
from diplo.events.values import CountryCode, Name, Party, SectorCode, Slug

Aliases = Annotated[list[Name], Field(max_length=50)]

ORDER = 10  # where the family stands in the catalog (registry first)


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


ORGANIZATIONS = Table(
    "organizations",
    "Registered organisations.",
    {
        "org": "id",
        "name": "name",
        "country": "ISO code",
        "kind": "kind",
        "aliases": "aliases, semicolon-separated",
        "parent": "parent org id",
        "status": STATUS,
        "key": KEY,
    },
)
PEOPLE = Table(
    "people",
    "Registered people, with their current appointment.",
    {
        "person": "id",
        "name": "name",
        "aliases": "aliases, semicolon-separated",
        "country": "ISO code",
        "title": "current title",
        "org": "current organisation",
        "status": STATUS,
        "key": KEY,
    },
)
APPOINTMENTS = Table(
    "appointments",
    "Appointments of people to organisations.",
    {
        "key": KEY,
        "person": "person id",
        "org": "org id",
        "title": "title",
        "occurred_on": "date",
        "position": "log position",
        "status": STATUS,
    },
    indexes=("person",),
)
PROGRAMMES = Table(
    "programmes",
    "Registered programmes.",
    {
        "programme": "id",
        "name": "name",
        "donor": "donor",
        "aliases": "aliases",
        "sector": "CRS code",
        "status": STATUS,
        "key": KEY,
    },
)


def _organization(d: Data, m: Meta, _: Directory) -> Rows:
    return {
        "organizations": [
            {
                "org": d["org"],
                "name": d["name"],
                "country": d["country"],
                "kind": d["kind"],
                "aliases": joined(d.get("aliases"), "; "),
                "parent": d.get("parent"),
                "status": m.status,
                "key": m.key,
            }
        ]
    }


def _person(d: Data, m: Meta, _: Directory) -> Rows:
    # Title and organisation are the latest standing appointment's (projections.refresh).
    return {
        "people": [
            {
                "person": d["person"],
                "name": d["name"],
                "aliases": joined(d.get("aliases"), "; "),
                "country": d.get("country"),
                "title": None,
                "org": None,
                "status": m.status,
                "key": m.key,
            }
        ]
    }


def _appointment(d: Data, m: Meta, _: Directory) -> Rows:
    return {
        "appointments": [
            {
                "key": m.key,
                "person": d["person"],
                "org": d["org"],
                "title": d["title"],
                "occurred_on": d.get("occurred_on"),
                "position": m.position,
                "status": m.status,
            }
        ]
    }


def _programme(d: Data, m: Meta, _: Directory) -> Rows:
    return {
        "programmes": [
            {
                "programme": d["programme"],
                "name": d["name"],
                "donor": d["donor"],
                "aliases": joined(d.get("aliases"), "; "),
                "sector": d.get("sector"),
                "status": m.status,
                "key": m.key,
            }
        ]
    }


def _registered(d: Data, _: Callable[[str], str]) -> str:
    return f"{d['name']} registered"


declare(
    OrganizationRegistered,
    record="org",
    subject="org",
    verb="registered",
    parties=("country",),
    summary=_registered,
    rows=_organization,
    tables=(ORGANIZATIONS,),
    registers=True,
)
declare(
    PersonRegistered,
    record="person",
    subject="person",
    verb="registered",
    parties=("country",),
    summary=_registered,
    rows=_person,
    tables=(PEOPLE,),
    registers=True,
)
declare(
    PersonAppointed,
    record="person",
    subject="person",
    creates=False,
    command="appoint",
    summary=lambda d, n: f"{n(d['person'])} appointed {d['title']} of {n(d['org'])}",
    rows=_appointment,
    tables=(APPOINTMENTS,),
)
declare(
    ProgrammeRegistered,
    record="programme",
    subject="programme",
    verb="registered",
    parties=("donor",),
    summary=_registered,
    rows=_programme,
    tables=(PROGRAMMES,),
)
