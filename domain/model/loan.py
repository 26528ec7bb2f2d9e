"""A loan: signed once; money is disbursed only under a signing that stands, never beyond the
amount lent (an exact amount or an up-to ceiling; domain.model.funding)."""

from __future__ import annotations

from eventsourcing.domain import event

from diplo.domain.errors import LoanNotSigned
from diplo.domain.model.funding import Disbursing
from diplo.events.types.loans import LoanAgreementSigned


class Loan(Disbursing):
    KIND = "loan"
    SUBJECT = "loan"

    @event("LoanAgreementSigned")
    def __init__(self, fact: LoanAgreementSigned) -> None:
        self._track(fact)
        self._agree(fact)
        self.slug = fact.loan

    def _require_standing(self) -> None:
        if not self.is_active(self.signed_key):
            raise LoanNotSigned(
                f"of: the signing of this loan ({self.signed_key}) was retracted; money is "
                "disbursed only under a loan whose signing stands"
            )
