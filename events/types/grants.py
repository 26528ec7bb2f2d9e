"""Grants, the equipment they fund, and deliveries of equipment."""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from diplo.events.declaration import Codes, Data, Meta, Rows, Table, declare
from diplo.events.envelope import (
    Activity,
    described,
    party,
    refers_to,
    signed_at,
    signed_by,
    signed_under,
)
from diplo.events.rows import (
    IATI_IDENTIFIER,
    KEY,
    MONEY_COLUMNS,
    STATUS,
    add,
    count_in_pairs,
    equivalents_cell,
    joined,
    money_cells,
    pair_of,
)
from diplo.events.sectors import in_use_on
from diplo.events.values import (
    EMPTY_BY_DEFAULT,
    Equivalents,
    Money,
    Party,
    RegionCode,
    SectorCode,
    Slug,
    Text,
    distinct_parties,
)

if TYPE_CHECKING:
    from diplo.events.directory import Directory

ORDER = 30  # where the family stands in the catalog (registry first)


class Category(str, Enum):
    equipment = "equipment"
    medical_supplies = "medical-supplies"
    food = "food"
    vehicles = "vehicles"
    vaccines = "vaccines"
    other = "other"


class EquipmentItem(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    description: Text = described("What it is.", "Ultrasound scanner")
    quantity: Annotated[int, Field(ge=1, le=1_000_000_000, strict=True)] | None = described(
        "How many pieces (a whole number).", 2, default=None
    )
    value: Money | None = described(
        "Its stated value.", {"value": "4500000", "currency": "JPY"}, default=None
    )
    category: Category | None = described("Its category.", "equipment", default=None)


Items = Annotated[list[EquipmentItem], Field(min_length=1, max_length=1000)]


class GrantAgreementSigned(Activity):
    """A grant was agreed: money given, not lent."""

    type: Literal["GrantAgreementSigned"] = "GrantAgreementSigned"
    grant: Slug = described("The grant's id: a lowercase slug.", "g-2026-01")
    donor: Party = party("Who gives", "JP")
    recipient: Party = party("Who receives", "moh-uz")
    programme: Slug | None = refers_to(
        "programme",
        default=None,
        description="The registered programme it is given under.",
        examples=["ggp"],
    )
    purpose: Text = described(
        "What the grant is for.", "Ultrasound scanners for the Samarkand clinic"
    )
    amount: Money | None = described(
        "The amount granted, exact, in its currency.",
        {"value": "10000000", "currency": "JPY"},
        default=None,
    )
    sector: SectorCode | None = described(
        "Its OECD DAC CRS purpose code (5 digits).", "12191", default=None
    )
    meeting: Slug | None = signed_at()
    under: Slug | None = signed_under()
    cofinanciers: Annotated[list[Party], Field(max_length=50)] = refers_to(
        "country",
        "org",
        **EMPTY_BY_DEFAULT,
        description="Others who share the cost: country codes or organisation ids.",
        examples=[["jica"]],
    )
    equivalents: Equivalents = described(
        "The amount as stated in other currencies (shown beside, never summed).",
        [{"value": "60000", "currency": "USD", "qualifier": "about"}],
        **EMPTY_BY_DEFAULT,
    )
    signatories: Annotated[list[Slug], Field(max_length=50)] = signed_by()

    @model_validator(mode="after")
    def _two_sides(self) -> GrantAgreementSigned:
        """The donor and the recipient are two different parties."""
        distinct_parties(self.donor, self.recipient, "donor and recipient")
        return self

    @model_validator(mode="after")
    def _sector_in_use(self) -> GrantAgreementSigned:
        in_use_on(self.sector, self.occurred_on)
        return self


class EquipmentFunded(Activity):
    """Equipment to be bought under a signed grant."""

    type: Literal["EquipmentFunded"] = "EquipmentFunded"
    grant: Slug = refers_to(
        "grant", description="The signed grant that funds the equipment.", examples=["g-2026-01"]
    )
    items: Items = described(
        "What is funded, one entry per kind of equipment.",
        [{"description": "Ultrasound scanner", "quantity": 2, "category": "equipment"}],
    )


class EquipmentDelivered(Activity):
    """Equipment was handed over."""

    type: Literal["EquipmentDelivered"] = "EquipmentDelivered"
    delivery: Slug = described("The delivery's id: a lowercase slug.", "d-2026-01")
    donor: Party = party("Who delivers", "JP")
    recipient: Party = party("Who receives", "moh-uz")
    grant: Slug | None = refers_to(
        "grant",
        default=None,
        description="The grant that funded it; its funded items are marked delivered.",
        examples=["g-2026-01"],
    )
    items: Items = described(
        "What was delivered, one entry per kind of equipment.",
        [{"description": "Ultrasound scanner", "quantity": 2}],
    )
    region: RegionCode | None = described(
        "Where it went: an ISO 3166-2 region code.", "UZ-SA", default=None
    )
    cofinanciers: Annotated[list[Party], Field(max_length=50)] = refers_to(
        "country",
        "org",
        **EMPTY_BY_DEFAULT,
        description="Others who shared the cost: country codes or organisation ids.",
        examples=[["jica"]],
    )
    total: Money | None = described(
        "The stated value of the whole delivery.",
        {"value": "10000000", "currency": "JPY"},
        default=None,
    )
    under: Slug | None = refers_to(
        "agreement",
        default=None,
        description="The agreement it was delivered under.",
        examples=["jp-uz-exchange-2025"],
    )

    @model_validator(mode="after")
    def _two_sides(self) -> EquipmentDelivered:
        """The donor and the recipient are two different parties."""
        distinct_parties(self.donor, self.recipient, "donor and recipient")
        return self


GRANTS = Table(
    "grants",
    "Grant agreements, with corrections applied.",
    {
        "grant": "grant id",
        "donor": "donor (country or org id)",
        "donor_country": "donor's country",
        "recipient": "recipient (country or org id)",
        "recipient_country": "recipient's country",
        "pair": "country pair",
        "programme": "programme id",
        "purpose": "purpose",
        "signed_on": "date signed",
        **MONEY_COLUMNS,
        "equivalents": "amounts as stated in other currencies (never summed)",
        "under": "agreement id it was signed under",
        "cofinanciers": "co-financiers, comma-separated",
        "signatories": "person ids, comma-separated",
        "sector": "CRS code",
        "meeting": "meeting at which it was signed",
        "iati_identifier": IATI_IDENTIFIER,
        "status": STATUS,
        "key": KEY,
    },
    indexes=("key", "pair"),
)
FUNDED_EQUIPMENT = Table(
    "funded_equipment",
    "One row per item of equipment, funded by a grant or delivered.",
    {
        "item": "event key and item number",
        "source": "grant or delivery",
        "grant": "grant id",
        "delivery": "delivery id",
        "donor": "donor",
        "recipient": "recipient",
        "recipient_country": "recipient's country",
        "description": "what",
        "quantity": "how many",
        "value": "decimal string",
        "currency": "ISO 4217",
        "category": "equipment, medical-supplies, food, vehicles, vaccines or other",
        "cofinanciers": "co-financiers of the delivery, comma-separated",
        "status": "funded, delivered or retracted (the item's event, or its grant, retracted)",
        "on": "date funded or delivered",
        "delivered_on": "date a delivery named the grant",
        "key": KEY,
    },
    indexes=("key", "grant"),
)
DELIVERIES = Table(
    "deliveries",
    "Deliveries of equipment.",
    {
        "delivery": "delivery id",
        "donor": "donor",
        "recipient": "recipient",
        "pair": "pair",
        "grant": "grant id",
        "region": "ISO 3166-2",
        "items": "number of kinds of item listed",
        "pieces": "pieces in all, where quantities are stated",
        **MONEY_COLUMNS,
        "cofinanciers": "co-financiers, comma-separated",
        "under": "agreement id",
        "occurred_on": "date",
        "status": STATUS,
        "key": KEY,
    },
    indexes=("key", "grant"),
)


def _grant(d: Data, m: Meta, directory: Directory) -> Rows:
    donor, recipient = directory.country_of(d["donor"]), directory.country_of(d["recipient"])
    pair = pair_of(donor, recipient)
    amount = d.get("amount") or {}
    rows: Rows = {}
    add(
        rows,
        "grants",
        {
            "grant": d["grant"],
            "donor": d["donor"],
            "donor_country": donor,
            "recipient": d["recipient"],
            "recipient_country": recipient,
            "pair": pair,
            "programme": d.get("programme"),
            "purpose": d["purpose"],
            "signed_on": d["occurred_on"],
            **money_cells(amount),
            "equivalents": equivalents_cell(d.get("equivalents")),
            "under": d.get("under"),
            "cofinanciers": joined(d.get("cofinanciers")),
            "signatories": joined(d.get("signatories")),
            "sector": d.get("sector"),
            "meeting": d.get("meeting"),
            "iati_identifier": directory.iati_identifier("grant", d["grant"]),
            "status": m.status,
            "key": m.key,
        },
    )
    count_in_pairs(rows, "grants", {pair} if pair else set(), d, m)
    return rows


def _items(d: Data, m: Meta, rows: Rows, **ids: Any) -> None:
    standing = ids.pop("status")  # popped first: ``**ids`` below must not put it back
    status = "retracted" if m.status == "retracted" else standing
    for number, item in enumerate(d["items"], 1):
        value = item.get("value") or {}
        add(
            rows,
            "funded_equipment",
            {
                "item": f"{m.key}#{number}",
                "description": item["description"],
                "quantity": item.get("quantity"),
                "value": value.get("value"),
                "currency": value.get("currency"),
                "category": item.get("category"),
                "cofinanciers": joined(d.get("cofinanciers")) or None,
                "status": status,
                "on": d["occurred_on"],
                "delivered_on": None,
                "key": m.key,
                **ids,
            },
        )


def _funded(d: Data, m: Meta, _: Directory) -> Rows:
    # Donor and recipient are the grant's: filled in when the grant row is known (refresh).
    rows: Rows = {}
    _items(
        d,
        m,
        rows,
        source="grant",
        grant=d["grant"],
        delivery=None,
        donor=None,
        recipient=None,
        recipient_country=None,
        status="funded",
    )
    return rows


def _delivered(d: Data, m: Meta, directory: Directory) -> Rows:
    donor, recipient = directory.country_of(d["donor"]), directory.country_of(d["recipient"])
    pair = pair_of(donor, recipient)
    rows: Rows = {}
    add(
        rows,
        "deliveries",
        {
            "delivery": d["delivery"],
            "donor": d["donor"],
            "recipient": d["recipient"],
            "pair": pair,
            "grant": d.get("grant"),
            "region": d.get("region"),
            "items": len(d["items"]),
            "pieces": sum(item.get("quantity") or 0 for item in d["items"]) or None,
            **money_cells(d.get("total")),
            "cofinanciers": joined(d.get("cofinanciers")),
            "under": d.get("under"),
            "occurred_on": d["occurred_on"],
            "status": m.status,
            "key": m.key,
        },
    )
    _items(
        d,
        m,
        rows,
        source="delivery",
        grant=d.get("grant"),
        delivery=d["delivery"],
        donor=d["donor"],
        recipient=d["recipient"],
        recipient_country=recipient,
        status="delivered",
    )
    count_in_pairs(rows, "deliveries", {pair} if pair else set(), d, m)
    return rows


def _what(d: Data) -> str:
    items = d["items"]
    return items[0]["description"] if len(items) == 1 else f"{len(items)} items of equipment"


def _humanitarian(d: Data) -> str | None:
    """CAMEO 073 (humanitarian aid) when food or medical supplies are among the items."""
    kinds = {item.get("category") for item in d.get("items") or []}
    return "073" if kinds & {"food", "medical-supplies"} else None


def _grant_summary(d: Data, n: Callable[[str], str]) -> str:
    amount = f" for {d['amount']['value']} {d['amount']['currency']}" if d.get("amount") else ""
    return f"Grant {d['grant']} signed: {n(d['donor'])} → {n(d['recipient'])}{amount}"


declare(
    GrantAgreementSigned,
    record="grant",
    subject="grant",
    verb="signed",
    parties=("donor", "recipient"),
    summary=_grant_summary,
    rows=_grant,
    tables=(GRANTS,),
    pair_kind=("grants", "grant agreements signed"),
    codes=Codes(cameo="057", iati_transaction_type="2", iati_finance_type="110"),
)
declare(
    EquipmentFunded,
    record="grant",
    subject="grant",
    creates=False,
    command="fund",
    summary=lambda d, n: f"Grant {d['grant']} funds {_what(d)}",
    rows=_funded,
    tables=(FUNDED_EQUIPMENT,),
    codes=Codes(cameo="070", refine=_humanitarian),
)
declare(
    EquipmentDelivered,
    record="delivery",
    subject="delivery",
    verb="recorded as delivered",
    parties=("donor", "recipient"),
    summary=lambda d, n: (
        f"{_what(d).capitalize()} delivered by {n(d['donor'])} to {n(d['recipient'])}"
    ),
    rows=_delivered,
    tables=(DELIVERIES, FUNDED_EQUIPMENT),  # its items are listed beside the funded ones
    pair_kind=("deliveries", "equipment deliveries"),
    codes=Codes(cameo="070", refine=_humanitarian),
)
