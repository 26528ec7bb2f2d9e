"""Technical cooperation: scholarships, training, experts, volunteers, study visits."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field, model_validator

from diplo.events.declaration import Codes, Data, Meta, Rows, Table, declare
from diplo.events.envelope import Activity, described, party, refers_to
from diplo.events.period import Period
from diplo.events.rows import KEY, MONEY_COLUMNS, STATUS, add, count_in_pairs, money_cells, pair_of
from diplo.events.values import Money, Name, Party, Slug, distinct_parties

if TYPE_CHECKING:
    from diplo.events.directory import Directory

ORDER = 45


class CooperationKind(str, Enum):
    scholarships = "scholarships"
    training = "training"
    experts = "experts"
    volunteers = "volunteers"
    study_visit = "study-visit"
    other = "other"


class TechnicalCooperationProvided(Activity):
    """Training, experts, scholarships or volunteers were provided."""

    type: Literal["TechnicalCooperationProvided"] = "TechnicalCooperationProvided"
    activity: Slug = described("The activity's id: a lowercase slug.", "jica-training-2025")
    provider: Party = party("Who provides it", "jica")
    recipient: Party = party("Who receives it", "moh-uz")
    kind: CooperationKind = described("The kind of cooperation.", "training")
    field: Name = described("Its field.", "healthcare")
    people: Annotated[int, Field(ge=1, le=10_000_000, strict=True)] | None = described(
        "How many people took part (a whole number).", 25, default=None
    )
    period: Period | None = described(
        "When it ran: an EDTF interval of two partial dates.", "2024-05/2024-09", default=None
    )
    under: Slug | None = refers_to(
        "agreement",
        default=None,
        description="The agreement it was provided under.",
        examples=["jp-uz-exchange-2025"],
    )
    amount: Money | None = described(
        "What it cost, if stated.", {"value": "10000000", "currency": "JPY"}, default=None
    )

    @model_validator(mode="after")
    def _two_sides(self) -> TechnicalCooperationProvided:
        """The provider and the recipient are two different parties."""
        distinct_parties(self.provider, self.recipient, "provider and recipient")
        return self


TECHNICAL_COOPERATION = Table(
    "technical_cooperation",
    "Technical cooperation provided: scholarships, training, experts, volunteers, study visits.",
    {
        "activity": "activity id",
        "provider": "provider (country or org id)",
        "recipient": "recipient (country or org id)",
        "pair": "country pair",
        "kind": "scholarships, training, experts, volunteers, study-visit or other",
        "field": "field",
        "people": "how many people",
        "period": "EDTF interval it runs over",
        "under": "agreement id",
        **MONEY_COLUMNS,
        "occurred_on": "date",
        "status": STATUS,
        "key": KEY,
    },
)


def _provided(d: Data, m: Meta, directory: Directory) -> Rows:
    pair = pair_of(directory.country_of(d["provider"]), directory.country_of(d["recipient"]))
    rows: Rows = {}
    add(
        rows,
        "technical_cooperation",
        {
            "activity": d["activity"],
            "provider": d["provider"],
            "recipient": d["recipient"],
            "pair": pair,
            "kind": d["kind"],
            "field": d["field"],
            "people": d.get("people"),
            "period": d.get("period"),
            "under": d.get("under"),
            **money_cells(d.get("amount")),
            "occurred_on": d["occurred_on"],
            "status": m.status,
            "key": m.key,
        },
    )
    count_in_pairs(rows, "technical_cooperation", {pair} if pair else set(), d, m)
    return rows


declare(
    TechnicalCooperationProvided,
    record="activity",
    subject="activity",
    verb="recorded as provided",
    parties=("provider", "recipient"),
    summary=lambda d, n: (
        f"{d['kind'].replace('-', ' ').capitalize()} in {d['field']}: "
        f"{n(d['provider'])} → {n(d['recipient'])}"
    ),
    rows=_provided,
    tables=(TECHNICAL_COOPERATION,),
    pair_kind=("technical_cooperation", "technical cooperation provided"),
    codes=Codes(cameo="061"),
)
