"""A grant: signed once; equipment is funded and money disbursed only on a signed grant that
stands, and never beyond its amount (domain.model.funding)."""

from __future__ import annotations

from eventsourcing.domain import event

from diplo.domain.errors import GrantAlreadySigned, GrantNotSigned
from diplo.domain.model.funding import Disbursing
from diplo.events.types.grants import EquipmentFunded, GrantAgreementSigned


class Grant(Disbursing):
    KIND = "grant"
    SUBJECT = "grant"
    ALREADY_RECORDED = GrantAlreadySigned

    @event("GrantAgreementSigned")
    def __init__(self, fact: GrantAgreementSigned) -> None:
        self._track(fact)
        self._agree(fact)
        self.slug = fact.grant

    def fund(self, fact: EquipmentFunded) -> None:
        self._require_standing()
        self._emit(self._funded, fact)

    @event("EquipmentFunded")
    def _funded(self, fact: EquipmentFunded) -> None:
        self._track(fact)

    def _require_standing(self) -> None:
        if not self.is_active(self.signed_key):
            raise GrantNotSigned(
                f"grant: the signing of this grant ({self.signed_key}) was retracted; "
                "equipment can be funded and money disbursed only on a signed grant"
            )
