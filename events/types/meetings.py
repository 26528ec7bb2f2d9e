"""Meetings, what was said at them, and the cooperations they establish."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field

from diplo.events.declaration import Codes, Data, Meta, Rows, Table, declare
from diplo.events.envelope import Activity, refers_to
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
from diplo.events.values import CountryCode, Money, Name, Party, Slug, Text

if TYPE_CHECKING:
    from diplo.events.directory import Directory

ORDER = 20  # where the family stands in the catalog (registry first)


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
    about: Annotated[list[Party], Field(max_length=50)] = refers_to("country", "org", default=[])
    amount: Money | None = None


class CooperationEstablished(Activity):
    type: Literal["CooperationEstablished"] = "CooperationEstablished"
    cooperation: Slug
    parties: Annotated[list[Party], Field(min_length=2, max_length=200)] = refers_to(
        "country", "org"
    )
    field: Name
    description: Text | None = None


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
