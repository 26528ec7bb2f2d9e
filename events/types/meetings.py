"""Meetings, what was said at them, and the cooperations they establish."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field

from diplo.events.declaration import Codes, Data, Meta, Rows, Table, declare
from diplo.events.envelope import Activity, described, refers_to
from diplo.events.rows import (
    KEY,
    MONEY_COLUMNS,
    STATUS,
    add,
    among,
    count_in_pairs,
    joined,
    money_cells,
    pair_of,
)
from diplo.events.values import EMPTY_BY_DEFAULT, CountryCode, Money, Name, Party, Slug, Text

if TYPE_CHECKING:
    from diplo.events.directory import Directory

ORDER = 20  # where the family stands in the catalog (registry first)


class MeetingHeld(Activity):
    """Representatives of countries met."""

    type: Literal["MeetingHeld"] = "MeetingHeld"
    meeting: Slug = described("The meeting's id: a lowercase slug.", "uza-676233-meeting")
    countries: Annotated[list[CountryCode], Field(min_length=1, max_length=200)] = described(
        "The countries represented (ISO 3166-1 alpha-2).", ["JP", "UZ"]
    )
    participants: Annotated[list[Slug], Field(max_length=200)] = refers_to(
        "person",
        "org",
        **EMPTY_BY_DEFAULT,
        description="The registered people and organisations who took part.",
        examples=[["hatori-takashi"]],
    )
    place: Name | None = described("Where it was held.", "Tashkent", default=None)
    topics: Annotated[list[Name], Field(max_length=50)] = described(
        "What was discussed, one short phrase each.",
        ["healthcare", "medical equipment"],
        **EMPTY_BY_DEFAULT,
    )
    summary: Text | None = described(
        "A short account of the meeting.",
        "The sides discussed cooperation in healthcare.",
        default=None,
    )


class CommitmentStated(Activity):
    """A party stated a commitment (to fund, to build, to continue)."""

    type: Literal["CommitmentStated"] = "CommitmentStated"
    by: Party = refers_to(
        "country",
        "org",
        "person",
        description="Who made the commitment: a country code, an organisation id or a person id.",
        examples=["hatori-takashi"],
    )
    statement: Text = described(
        "The commitment, as stated.", "Japan will continue to support Uzbekistan's health sector."
    )
    meeting: Slug | None = refers_to(
        "meeting",
        default=None,
        description="The meeting at which it was stated.",
        examples=["uza-676233-meeting"],
    )
    about: Annotated[list[Party], Field(max_length=50)] = refers_to(
        "country",
        "org",
        **EMPTY_BY_DEFAULT,
        description="The countries or organisations it concerns.",
        examples=[["UZ"]],
    )
    amount: Money | None = described(
        "The money committed, if stated.", {"value": "10000000", "currency": "JPY"}, default=None
    )


class CooperationEstablished(Activity):
    """Parties agreed to cooperate in a field."""

    type: Literal["CooperationEstablished"] = "CooperationEstablished"
    cooperation: Slug = described("The cooperation's id: a lowercase slug.", "jp-uz-health-2025")
    parties: Annotated[list[Party], Field(min_length=2, max_length=200)] = refers_to(
        "country",
        "org",
        description="Who cooperates: two or more country codes or organisation ids.",
        examples=[["JP", "UZ"]],
    )
    field: Name = described("The field of the cooperation.", "healthcare")
    description: Text | None = described(
        "What was agreed, in a few sentences.", "Joint training of medical staff.", default=None
    )


MEETINGS = Table(
    "meetings",
    "Meetings held.",
    {
        "meeting": "meeting id",
        "occurred_on": "date",
        "countries": "ISO codes, comma-separated",
        "participants": "person and org ids, comma-separated",
        "place": "where",
        "topics": "topics, semicolon-separated",
        "summary": "summary",
        "status": STATUS,
        "key": KEY,
    },
)
COOPERATIONS = Table(
    "cooperations",
    "Cooperations established.",
    {
        "cooperation": "id",
        "parties": "parties, comma-separated",
        "field": "field",
        "description": "description",
        "occurred_on": "date",
        "status": STATUS,
        "key": KEY,
    },
)
COMMITMENTS = Table(
    "commitments",
    "Commitments stated; an amount committed is told, never added to what was agreed or granted.",
    {
        "key": KEY,
        "by": "who (country, org or person)",
        "by_country": "the speaker's country",
        "about": "whom it concerns, comma-separated",
        "pairs": "country pairs (speaker's country with each one it concerns), comma-separated",
        "statement": "what was said",
        "meeting": "meeting id",
        **MONEY_COLUMNS,
        "occurred_on": "date",
        "status": STATUS,
    },
    indexes=(),
)


def _meeting(d: Data, m: Meta, _: Directory) -> Rows:
    rows: Rows = {}
    add(
        rows,
        "meetings",
        {
            "meeting": d["meeting"],
            "occurred_on": d["occurred_on"],
            "countries": joined(d["countries"]),
            "participants": joined(d.get("participants")),
            "place": d.get("place"),
            "topics": joined(d.get("topics"), "; "),
            "summary": d.get("summary"),
            "status": m.status,
            "key": m.key,
        },
    )
    count_in_pairs(rows, "meetings", among(d["countries"]), d, m)
    return rows


def _cooperation(d: Data, m: Meta, directory: Directory) -> Rows:
    rows: Rows = {}
    add(
        rows,
        "cooperations",
        {
            "cooperation": d["cooperation"],
            "parties": joined(d["parties"]),
            "field": d["field"],
            "description": d.get("description"),
            "occurred_on": d["occurred_on"],
            "status": m.status,
            "key": m.key,
        },
    )
    countries = [c for c in map(directory.country_of, d["parties"]) if c]
    count_in_pairs(rows, "cooperations", among(countries), d, m)
    return rows


def _commitment(d: Data, m: Meta, directory: Directory) -> Rows:
    speaker = directory.country_of(d["by"])
    pairs = {pair_of(speaker, directory.country_of(a)) for a in d.get("about") or []}
    return {
        "commitments": [
            {
                "key": m.key,
                "by": d["by"],
                "by_country": speaker,
                "about": joined(d.get("about")),
                "pairs": joined(sorted(p for p in pairs if p)),
                "statement": d["statement"],
                "meeting": d.get("meeting"),
                **money_cells(d.get("amount")),
                "occurred_on": d["occurred_on"],
                "status": m.status,
            }
        ]
    }


def _meeting_summary(d: Data, _: Callable[[str], str]) -> str:
    place = f" at {d['place']}" if d.get("place") else ""
    return f"Meeting {d['meeting']} ({', '.join(d['countries'])}){place}"


declare(
    MeetingHeld,
    record="meeting",
    subject="meeting",
    verb="recorded as held",
    parties=("countries", "participants"),
    summary=_meeting_summary,
    rows=_meeting,
    tables=(MEETINGS,),
    pair_kind=("meetings", "meetings between them"),
    codes=Codes(cameo="040"),
)
declare(
    CooperationEstablished,
    record="cooperation",
    subject="cooperation",
    verb="established",
    parties=("parties",),
    summary=lambda d, _: f"Cooperation in {d['field']} established",
    rows=_cooperation,
    tables=(COOPERATIONS,),
    pair_kind=("cooperations", "cooperations established"),
    codes=Codes(cameo="061"),
)
# A statement has no id of its own: its record is named by the event's key.
declare(
    CommitmentStated,
    record="commitment",
    subject="key",
    verb="stated",
    parties=("by", "about"),
    summary=lambda d, n: f"{n(d['by'])}: {d['statement']}",
    rows=_commitment,
    tables=(COMMITMENTS,),
    codes=Codes(cameo="030"),
)
