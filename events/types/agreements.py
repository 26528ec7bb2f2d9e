"""Agreements between governments: exchanges of notes, memoranda, framework agreements, treaties.

An agreement's amount is what was agreed: reports show it as agreed, never added to the grants
or loans signed under it (``under``).
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field

from diplo.events.declaration import Codes, Data, Meta, Rows, Table, declare
from diplo.events.envelope import Activity, described, refers_to, signed_at, signed_by
from diplo.events.rows import (
    KEY,
    MONEY_COLUMNS,
    STATUS,
    add,
    among,
    count_in_pairs,
    equivalents_cell,
    joined,
    money_cells,
)
from diplo.events.values import EMPTY_BY_DEFAULT, Equivalents, Money, Name, Party, Slug

if TYPE_CHECKING:
    from diplo.events.directory import Directory

ORDER = 25


class AgreementKind(str, Enum):
    exchange_of_notes = "exchange-of-notes"
    memorandum_of_understanding = "memorandum-of-understanding"
    framework_agreement = "framework-agreement"
    agreement = "agreement"
    treaty = "treaty"


class AgreementSigned(Activity):
    """An agreement between parties was signed (exchange of notes, memorandum…)."""

    type: Literal["AgreementSigned"] = "AgreementSigned"
    agreement: Slug = described("The agreement's id: a lowercase slug.", "jp-uz-exchange-2025")
    kind: AgreementKind = described("The kind of agreement.", "exchange-of-notes")
    parties: Annotated[list[Party], Field(min_length=2, max_length=50)] = refers_to(
        "country",
        "org",
        description="Who signed: two or more country codes or organisation ids.",
        examples=[["JP", "UZ"]],
    )
    title: Name = described(
        "Its title.", "Exchange of Notes on the Economic and Social Development Programme"
    )
    amount: Money | None = described(
        "The money it provides, if stated.", {"value": "10000000", "currency": "JPY"}, default=None
    )
    equivalents: Equivalents = described(
        "The amount as stated in other currencies (shown beside, never summed).",
        [{"value": "2380000", "currency": "USD", "qualifier": "about"}],
        **EMPTY_BY_DEFAULT,
    )
    programme: Slug | None = refers_to(
        "programme",
        default=None,
        description="The registered programme it belongs to.",
        examples=["ggp"],
    )
    signatories: Annotated[list[Slug], Field(max_length=50)] = signed_by()
    meeting: Slug | None = signed_at()


AGREEMENTS = Table(
    "agreements",
    "Agreements signed (exchanges of notes, memoranda…); their amounts are agreed, not granted.",
    {
        "agreement": "agreement id",
        "kind": "exchange-of-notes, memorandum-of-understanding, framework-agreement, "
        "agreement or treaty",
        "title": "title",
        "parties": "parties, comma-separated",
        "pairs": "country pairs, comma-separated",
        **MONEY_COLUMNS,
        "equivalents": "amounts as stated in other currencies (never summed)",
        "programme": "programme id",
        "signatories": "person ids, comma-separated",
        "meeting": "meeting id",
        "occurred_on": "date signed",
        "status": STATUS,
        "key": KEY,
    },
)


def _agreement(d: Data, m: Meta, directory: Directory) -> Rows:
    pairs = among([c for c in map(directory.country_of, d["parties"]) if c])
    rows: Rows = {}
    add(
        rows,
        "agreements",
        {
            "agreement": d["agreement"],
            "kind": d["kind"],
            "title": d["title"],
            "parties": joined(d["parties"]),
            "pairs": joined(sorted(pairs)),
            **money_cells(d.get("amount")),
            "equivalents": equivalents_cell(d.get("equivalents")),
            "programme": d.get("programme"),
            "signatories": joined(d.get("signatories")),
            "meeting": d.get("meeting"),
            "occurred_on": d["occurred_on"],
            "status": m.status,
            "key": m.key,
        },
    )
    count_in_pairs(rows, "agreements", pairs, d, m)
    return rows


declare(
    AgreementSigned,
    record="agreement",
    subject="agreement",
    verb="signed",
    parties=("parties",),
    summary=lambda d, n: (
        f"{d['kind'].replace('-', ' ').capitalize()} signed: {d['title']} "
        f"({', '.join(map(n, d['parties']))})"
    ),
    rows=_agreement,
    tables=(AGREEMENTS,),
    pair_kind=("agreements", "agreements signed (exchanges of notes, memoranda…)"),
    codes=Codes(cameo="057", iati_transaction_type="12"),
)
