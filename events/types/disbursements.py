"""Disbursements: money paid out under a grant or a loan.

The sum disbursed never exceeds what was agreed: an exact amount, or an up-to ceiling (the
domain checks it against everything disbursed before).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from diplo.events.declaration import Codes, Data, Meta, Rows, Table, declare
from diplo.events.envelope import Activity, described, refers_to
from diplo.events.rows import KEY, MONEY_COLUMNS, STATUS, money_cells
from diplo.events.values import Money, Party, Slug

if TYPE_CHECKING:
    from diplo.events.directory import Directory

ORDER = 32


class FundsDisbursed(Activity):
    """Money was paid out under a signed grant or loan."""

    type: Literal["FundsDisbursed"] = "FundsDisbursed"
    disbursement: Slug = described("The disbursement's id: a lowercase slug.", "jica-uz-p1-t1")
    of: Slug = refers_to(
        "grant",
        "loan",
        description="The signed grant or loan the money comes from.",
        examples=["jica-uz-p1"],
    )
    amount: Money = described(
        "The amount paid out (never more than the grant or loan states).",
        {"value": "10000000", "currency": "JPY"},
    )
    to: Party | None = refers_to(
        "country",
        "org",
        default=None,
        description="Who was paid, if not the recipient: a country code or organisation id.",
        examples=["moh-uz"],
    )


DISBURSEMENTS = Table(
    "disbursements",
    "Money paid out under a grant or a loan.",
    {
        "disbursement": "disbursement id",
        "of": "grant or loan id",
        "to": "paid to (country or org id), if stated",
        "pair": "country pair of the grant or loan",
        **MONEY_COLUMNS,
        "occurred_on": "date paid",
        "status": STATUS,
        "key": KEY,
    },
    indexes=("key", "of"),
)


def _disbursed(d: Data, m: Meta, _: Directory) -> Rows:
    # The pair is the grant's or loan's: filled in when that row is known (refresh).
    return {
        "disbursements": [
            {
                "disbursement": d["disbursement"],
                "of": d["of"],
                "to": d.get("to"),
                "pair": None,
                **money_cells(d["amount"]),
                "occurred_on": d["occurred_on"],
                "status": m.status,
                "key": m.key,
            }
        ]
    }


declare(
    FundsDisbursed,
    record="grant",
    or_records=("loan",),
    subject="of",
    creates=False,
    command="disburse",
    parties=("to",),
    summary=lambda d, _: (
        f"{d['amount']['value']} {d['amount']['currency']} disbursed under {d['of']}"
    ),
    rows=_disbursed,
    tables=(DISBURSEMENTS,),
    codes=Codes(cameo="071", iati_transaction_type="3"),
)
