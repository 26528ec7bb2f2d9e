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
    SectorCode,
    Slug,
    Text,
    distinct_parties,
)

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

    interest_rate: Annotated[str, Field(pattern=_RATE)] | None = described(
        "Interest in percent a year, a decimal string.", "0.1", default=None
    )
    maturity_years: Annotated[int, Field(ge=1, le=100, strict=True)] | None = described(
        "Years until repaid, grace included.", 40, default=None
    )
    grace_years: Annotated[int, Field(ge=0, le=100, strict=True)] | None = described(
        "Years before repayment starts.", 10, default=None
    )
    tied: Tied | None = described(
        "Whether procurement is tied to the lender's suppliers.", "untied", default=None
    )

    @model_validator(mode="after")
    def _grace_within_maturity(self) -> Terms:
        """The grace period is part of the maturity, never longer."""
        if self.maturity_years and self.grace_years and self.grace_years > self.maturity_years:
            raise ValueError("grace_years: the grace period is part of the maturity, not longer")
        return self


class LoanAgreementSigned(Activity):
    """A loan was agreed: money lent, to be repaid."""

    type: Literal["LoanAgreementSigned"] = "LoanAgreementSigned"
    loan: Slug = described("The loan's id: a lowercase slug.", "jica-uz-p1")
    lender: Party = party("Who lends", "jica")
    borrower: Party = party("Who borrows", "UZ")
    purpose: Text = described("What the loan is for.", "Modernisation of regional hospitals")
    amount: Money = described(
        "The amount lent (qualifier up-to for a ceiling).",
        {"value": "50000000000", "currency": "JPY", "qualifier": "up-to"},
    )
    under: Slug | None = signed_under()
    programme: Slug | None = refers_to(
        "programme",
        default=None,
        description="The registered programme it belongs to.",
        examples=["ggp"],
    )
    sector: SectorCode | None = described(
        "Its OECD DAC CRS purpose code (5 digits).", "12191", default=None
    )
    terms: Terms | None = described(
        "Interest (percent a year, a decimal string), maturity and grace in years, tying.",
        {"interest_rate": "0.1", "maturity_years": 40, "grace_years": 10, "tied": "untied"},
        default=None,
    )
    equivalents: Equivalents = described(
        "The amount as stated in other currencies (shown beside, never summed).",
        [{"value": "330000000", "currency": "USD", "qualifier": "about"}],
        **EMPTY_BY_DEFAULT,
    )
    signatories: Annotated[list[Slug], Field(max_length=50)] = signed_by()
    meeting: Slug | None = signed_at()

    @model_validator(mode="after")
    def _two_sides(self) -> LoanAgreementSigned:
        """The lender and the borrower are two different parties."""
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
