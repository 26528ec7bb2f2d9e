"""Visits: a person of one country visits another (state, official, working, private)."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Literal

from diplo.events.declaration import Codes, Data, Meta, Rows, Table, declare
from diplo.events.envelope import Activity, described, refers_to
from diplo.events.rows import KEY, STATUS, add, count_in_pairs, pair_of
from diplo.events.values import CountryCode, Name, Slug

if TYPE_CHECKING:
    from diplo.events.directory import Directory

ORDER = 22


class VisitKind(str, Enum):
    state = "state"
    official = "official"
    working = "working"
    private = "private"


class VisitMade(Activity):
    """A registered person visited a country."""

    type: Literal["VisitMade"] = "VisitMade"
    visit: Slug = described("The visit's id: a lowercase slug.", "mirziyoyev-tokyo-2019")
    visitor: Slug = refers_to(
        "person", description="The registered person who visited.", examples=["hatori-takashi"]
    )
    host: CountryCode = described("The country visited (ISO 3166-1 alpha-2).", "UZ")
    kind: VisitKind = described("The kind of visit.", "official")
    purpose: Name | None = described("Why, in a short phrase.", "Talks on healthcare", default=None)


VISITS = Table(
    "visits",
    "Visits made by people of one country to another.",
    {
        "visit": "visit id",
        "visitor": "person id",
        "visitor_country": "the visitor's country",
        "host": "host country",
        "pair": "country pair",
        "kind": "state, official, working or private",
        "purpose": "purpose",
        "occurred_on": "date",
        "status": STATUS,
        "key": KEY,
    },
)


def _visit(d: Data, m: Meta, directory: Directory) -> Rows:
    visitor_country = directory.country_of(d["visitor"])
    pair = pair_of(visitor_country, d["host"])
    rows: Rows = {}
    add(
        rows,
        "visits",
        {
            "visit": d["visit"],
            "visitor": d["visitor"],
            "visitor_country": visitor_country,
            "host": d["host"],
            "pair": pair,
            "kind": d["kind"],
            "purpose": d.get("purpose"),
            "occurred_on": d["occurred_on"],
            "status": m.status,
            "key": m.key,
        },
    )
    count_in_pairs(rows, "visits", {pair} if pair else set(), d, m)
    return rows


declare(
    VisitMade,
    record="visit",
    subject="visit",
    verb="recorded as made",
    parties=("visitor", "host"),
    summary=lambda d, n: f"{d['kind'].capitalize()} visit of {n(d['visitor'])} to {d['host']}",
    rows=_visit,
    tables=(VISITS,),
    pair_kind=("visits", "visits made"),
    codes=Codes(cameo="042"),  # the host's side of it is 043
)
