"""Loans: an amount lent on terms (interest, maturity, grace), often "up to" a ceiling.

A loan is never a grant: it has its own table, its own money kind (lent) and its own IATI
finance type (421, standard loan).
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from diplo.events.declaration import Codes, Data, Meta, Rows, Table, declare
from diplo.events.envelope import Activity, refers_to
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
from diplo.events.values import Equivalents, Money, Party, SectorCode, Slug, Text, distinct_parties

if TYPE_CHECKING:
    from diplo.events.directory import Directory

ORDER = 31

_RATE = r"^(0|[1-9][0-9]{0,2})(\.[0-9]{1,4})?$"


class Tied(str, Enum):
    tied = "tied"
    untied = "untied"
    partially_tied = "partially-tied"


class Terms(BaseModel):
    """Interest in percent per annum (a decimal string, "0.01"); maturity includes grace."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    interest_rate: Annotated[str, Field(pattern=_RATE)] | None = None
    maturity_years: Annotated[int, Field(ge=1, le=100, strict=True)] | None = None
    grace_years: Annotated[int, Field(ge=0, le=100, strict=True)] | None = None
    tied: Tied | None = None

    @model_validator(mode="after")
    def _grace_within_maturity(self) -> Terms:
        if self.maturity_years and self.grace_years and self.grace_years > self.maturity_years:
            raise ValueError("grace_years: the grace period is part of the maturity, not longer")
        return self


class LoanAgreementSigned(Activity):
    type: Literal["LoanAgreementSigned"] = "LoanAgreementSigned"
    loan: Slug
    lender: Party = refers_to("country", "org")
    borrower: Party = refers_to("country", "org")
    purpose: Text
    amount: Money
    under: Slug | None = refers_to("agreement", default=None)
    programme: Slug | None = refers_to("programme", default=None)
    sector: SectorCode | None = None
    terms: Terms | None = None
    equivalents: Equivalents = []
    signatories: Annotated[list[Slug], Field(max_length=50)] = refers_to("person", default=[])
    meeting: Slug | None = refers_to("meeting", default=None)

    @model_validator(mode="after")
    def _two_sides(self) -> LoanAgreementSigned:
        distinct_parties(self.lender, self.borrower, "lender and borrower")
        return self

    @model_validator(mode="after")
    def _sector_in_use(self) -> LoanAgreementSigned:
        in_use_on(self.sector, self.occurred_on)
        return self


LOANS = Table(
    "loans",
    "Loan agreements, with their terms; amounts lent, never counted as granted.",
    {
        "loan": "loan id",
        "lender": "lender (country or org id)",
        "lender_country": "lender's country",
        "borrower": "borrower (country or org id)",
        "borrower_country": "borrower's country",
        "pair": "country pair",
        "purpose": "purpose",
        **MONEY_COLUMNS,
        "equivalents": "amounts as stated in other currencies (never summed)",
        "interest_rate": "percent per annum",
        "maturity_years": "years to repay, grace included",
        "grace_years": "years before repayment starts",
        "tied": "tied, untied or partially-tied",
        "under": "agreement id it was signed under",
        "programme": "programme id",
        "sector": "CRS code",
        "signatories": "person ids, comma-separated",
        "meeting": "meeting id",
        "signed_on": "date signed",
        "iati_identifier": IATI_IDENTIFIER,
        "status": STATUS,
        "key": KEY,
    },
    indexes=("key", "pair"),
)


def _loan(d: Data, m: Meta, directory: Directory) -> Rows:
    lender, borrower = directory.country_of(d["lender"]), directory.country_of(d["borrower"])
    pair = pair_of(lender, borrower)
    terms = d.get("terms") or {}
    rows: Rows = {}
    add(
        rows,
        "loans",
        {
            "loan": d["loan"],
            "lender": d["lender"],
            "lender_country": lender,
            "borrower": d["borrower"],
            "borrower_country": borrower,
            "pair": pair,
            "purpose": d["purpose"],
            **money_cells(d.get("amount")),
            "equivalents": equivalents_cell(d.get("equivalents")),
            "interest_rate": terms.get("interest_rate"),
            "maturity_years": terms.get("maturity_years"),
            "grace_years": terms.get("grace_years"),
            "tied": terms.get("tied"),
            "under": d.get("under"),
            "programme": d.get("programme"),
            "sector": d.get("sector"),
            "signatories": joined(d.get("signatories")),
            "meeting": d.get("meeting"),
            "signed_on": d["occurred_on"],
            "iati_identifier": directory.iati_identifier("loan", d["loan"]),
            "status": m.status,
            "key": m.key,
        },
    )
    count_in_pairs(rows, "loans", {pair} if pair else set(), d, m)
    return rows


def _summary(d: Data, n: Callable[[str], str]) -> str:
    amount = d["amount"]
    ceiling = "up to " if amount.get("qualifier") == "up-to" else ""
    return (
        f"Loan {d['loan']} signed: {n(d['lender'])} lends {n(d['borrower'])} "
        f"{ceiling}{amount['value']} {amount['currency']}"
    )


declare(
    LoanAgreementSigned,
    record="loan",
    subject="loan",
    verb="signed",
    parties=("lender", "borrower"),
    summary=_summary,
    rows=_loan,
    tables=(LOANS,),
    pair_kind=("loans", "loan agreements signed"),
    codes=Codes(cameo="057", iati_transaction_type="2", iati_finance_type="421"),
)
