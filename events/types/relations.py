"""Diplomatic relations established between two countries."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field, model_validator

from diplo.events.declaration import Codes, Data, Meta, Rows, Table, declare
from diplo.events.envelope import Activity, described
from diplo.events.rows import KEY, STATUS, add, count_in_pairs, pair_of
from diplo.events.values import CountryCode

if TYPE_CHECKING:
    from diplo.events.directory import Directory

ORDER = 21


class DiplomaticRelationsEstablished(Activity):
    """Two countries established diplomatic relations."""

    type: Literal["DiplomaticRelationsEstablished"] = "DiplomaticRelationsEstablished"
    countries: Annotated[list[CountryCode], Field(min_length=2, max_length=2)] = described(
        "The two countries (ISO 3166-1 alpha-2).", ["JP", "UZ"]
    )

    @model_validator(mode="after")
    def _two_countries(self) -> DiplomaticRelationsEstablished:
        """The two countries are different."""
        if self.countries[0] == self.countries[1]:
            raise ValueError("countries: relations are established between two countries")
        return self


RELATIONS = Table(
    "diplomatic_relations",
    "Diplomatic relations established between two countries.",
    {"key": KEY, "pair": "country pair", "occurred_on": "date", "status": STATUS},
    indexes=("pair",),
)


def _relations(d: Data, m: Meta, _: Directory) -> Rows:
    pair = pair_of(*d["countries"])
    rows: Rows = {}
    add(
        rows,
        "diplomatic_relations",
        {"key": m.key, "pair": pair, "occurred_on": d["occurred_on"], "status": m.status},
    )
    count_in_pairs(rows, "relations", {pair} if pair else set(), d, m)
    return rows


# No id of its own: the record is named by the event's key.
declare(
    DiplomaticRelationsEstablished,
    record="relations",
    subject="key",
    verb="recorded as established",
    parties=("countries",),
    summary=lambda d, _: f"Diplomatic relations established: {' and '.join(d['countries'])}",
    rows=_relations,
    tables=(RELATIONS,),
    pair_kind=("relations", "diplomatic relations established (0 or 1)"),
    codes=Codes(cameo="054"),
)
