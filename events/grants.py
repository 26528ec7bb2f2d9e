"""Grants, the equipment they fund, and deliveries of equipment."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from diplo.events.envelope import Activity, refers_to
from diplo.events.values import Money, Party, RegionCode, SectorCode, Slug, Text


class EquipmentItem(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    description: Text
    quantity: Annotated[int, Field(ge=1, le=1_000_000_000, strict=True)] | None = None
    value: Money | None = None


Items = Annotated[list[EquipmentItem], Field(min_length=1, max_length=1000)]


class GrantAgreementSigned(Activity):
    type: Literal["GrantAgreementSigned"] = "GrantAgreementSigned"
    grant: Slug
    donor: Party = refers_to("country", "org")
    recipient: Party = refers_to("country", "org")
    programme: Slug | None = refers_to("programme", default=None)
    purpose: Text
    amount: Money | None = None
    sector: SectorCode | None = None
    meeting: Slug | None = refers_to("meeting", default=None)


class EquipmentFunded(Activity):
    type: Literal["EquipmentFunded"] = "EquipmentFunded"
    grant: Slug = refers_to("grant")
    items: Items


class EquipmentDelivered(Activity):
    type: Literal["EquipmentDelivered"] = "EquipmentDelivered"
    delivery: Slug
    donor: Party = refers_to("country", "org")
    recipient: Party = refers_to("country", "org")
    grant: Slug | None = refers_to("grant", default=None)
    items: Items
    region: RegionCode | None = None
