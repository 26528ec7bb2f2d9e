"""The rule every grant and loan shares: what is disbursed never exceeds what was agreed.

One definition, used by both aggregates: the sum of the standing disbursements (corrections
applied, retractions left out) may not exceed an exact amount or an ``up-to`` ceiling, and is
paid in the agreement's currency. An amount ``about`` a figure, or none stated, bounds nothing.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from eventsourcing.domain import event

from diplo.domain.errors import AlreadyExists, OverDisbursed
from diplo.domain.model.entity import Entity


def check_disbursements(
    what: str, agreed: dict[str, Any] | None, disbursed: list[dict[str, Any]]
) -> None:
    """Refuse when ``disbursed`` (amounts as data) exceeds ``agreed`` (an amount as data)."""
    if not agreed or agreed.get("qualifier") == "about":
        return
    currency, limit = agreed["currency"], Decimal(agreed["value"])
    for amount in disbursed:
        if amount["currency"] != currency:
            raise OverDisbursed(
                f"amount.currency: {what} is in {currency}; a disbursement of it in "
                f"{amount['currency']} cannot be checked against it (record it in {currency}, "
                "with the other currency as stated in the note)"
            )
    total = sum((Decimal(a["value"]) for a in disbursed), Decimal(0))
    if total > limit:
        bound = "a ceiling of" if agreed.get("qualifier") == "up-to" else "exactly"
        raise OverDisbursed(
            f"amount: disbursements of {what} would total {total} {currency}, more than "
            f"{bound} {limit} {currency} agreed"
        )


class Disbursing(Entity):
    """A grant or loan: money agreed, then disbursed under it, never beyond it."""

    def _agree(self, fact: Any) -> None:
        """Remember the signing fact's key (its amount is read from it, as corrected)."""
        self.signed_key = fact.key
        self.amounts: dict[str, dict[str, Any] | None] = {fact.key: _amount_data(fact)}
        self.paid: dict[str, str] = {}  # disbursement id -> event key

    def disburse(self, fact: Any) -> None:
        if fact.disbursement in self.paid:
            raise AlreadyExists(
                f"disbursement: disbursement {fact.disbursement!r} of {self.KIND} {fact.of!r} "
                "is already recorded; to change it, correct the original event"
            )
        self._require_standing()
        self.check_rules(adding=_amount_data(fact))  # before it is recorded: it may be refused
        self._emit(self._disbursed, fact)

    @event("FundsDisbursed")
    def _disbursed(self, fact: Any) -> None:
        self._track(fact)
        self.paid[fact.disbursement] = fact.key
        self.amounts[fact.key] = _amount_data(fact)

    def _require_standing(self) -> None:
        """Money moves only under an agreement whose signing stands (not retracted)."""

    def check_rules(self, adding: dict[str, Any] | None = None) -> None:
        """What is disbursed (and ``adding``, a disbursement about to be recorded) stays within
        what was agreed."""
        paid = [self._current_amount(key) for key in self.paid.values() if self.is_active(key)]
        check_disbursements(
            f"{self.KIND} {self._slug()!r}",
            self._current_amount(self.signed_key),
            [amount for amount in [*paid, adding] if amount],
        )

    def _current_amount(self, key: str) -> dict[str, Any] | None:
        changes = self.amendments.get(key, {})
        return changes["amount"] if "amount" in changes else self.amounts.get(key)

    def _slug(self) -> str:
        return getattr(self, "slug", "")


def _amount_data(fact: Any) -> dict[str, Any] | None:
    """The fact's amount as JSON data: a fact prepared for a bulk import has its data as JSON
    already (``domain.app.prepared``), a model dumps it."""
    as_json = getattr(fact, "json_of", None)
    if as_json is not None:
        return as_json("amount")  # type: ignore[no-any-return]
    return _dumped(getattr(fact, "amount", None))


def _dumped(money: Any) -> dict[str, Any] | None:
    return money.model_dump(mode="json", exclude_none=True) if money is not None else None
