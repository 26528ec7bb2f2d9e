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
from diplo.events.envelope import Fact, described, party, refers_to
from diplo.events.rows import KEY, STATUS, joined

if TYPE_CHECKING:
    from diplo.events.directory import Directory
from diplo.events.values import EMPTY_BY_DEFAULT, CountryCode, Name, Party, SectorCode, Slug

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
    """An organisation enters the registry: a ministry, an agency, an embassy, a company."""

    type: Literal["OrganizationRegistered"] = "OrganizationRegistered"
    org: Slug = described(
        "The organisation's id: a lowercase slug, unique and stable forever.", "jica"
    )
    name: Name = described(
        "Its full name, as it calls itself.", "Japan International Cooperation Agency"
    )
    country: CountryCode = described(
        "The country it belongs to (ISO 3166-1 alpha-2, upper case).", "JP"
    )
    kind: OrgKind = described("What kind of organisation it is.", "agency")
    aliases: Aliases = described(
        "Other names and abbreviations it is known by (suggestions match them).",
        ["JICA"],
        **EMPTY_BY_DEFAULT,
    )
    parent: Slug | None = refers_to(
        "org",
        default=None,
        description="The id of the registered organisation it is part of.",
        examples=["mofa-jp"],
    )


class PersonRegistered(Fact):
    """A person enters the registry, so events can name them by id."""

    type: Literal["PersonRegistered"] = "PersonRegistered"
    person: Slug = described(
        "The person's id: a lowercase slug, family name first by convention.", "hatori-takashi"
    )
    name: Name = described("Their name as sources write it.", "Hatori Takashi")
    aliases: Aliases = described(
        "Other spellings or orders of their name.", ["Takashi Hatori"], **EMPTY_BY_DEFAULT
    )
    country: CountryCode | None = described(
        "The country they serve or belong to (ISO 3166-1 alpha-2).", "JP", default=None
    )


class PersonAppointed(Fact):
    """A registered person takes a post in a registered organisation."""

    type: Literal["PersonAppointed"] = "PersonAppointed"
    person: Slug = refers_to(
        "person", description="The registered person appointed.", examples=["hatori-takashi"]
    )
    org: Slug = refers_to(
        "org",
        description="The registered organisation they are appointed to.",
        examples=["embassy-jp-uz"],
    )
    title: Name = described("The post they hold.", "Ambassador of Japan to Uzbekistan")


class ProgrammeRegistered(Fact):
    """A programme of aid enters the registry (grants and loans may be given under it)."""

    type: Literal["ProgrammeRegistered"] = "ProgrammeRegistered"
    programme: Slug = described("The programme's id: a lowercase slug.", "ggp")
    name: Name = described(
        "Its full name.", "Grant Assistance for Grassroots Human Security Projects"
    )
    donor: Party = party("Who runs it", "JP")
    aliases: Aliases = described("Other names and abbreviations.", ["Kusanone"], **EMPTY_BY_DEFAULT)
    sector: SectorCode | None = described(
        "Its OECD DAC CRS purpose code (5 digits).", "12191", default=None
    )


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
