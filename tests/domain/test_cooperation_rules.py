"""The rules of catalog v2: money moves only under what was agreed, never beyond it; every
reference names a record; a flow has two sides; codes are exact; repeats corroborate."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from diplo.domain.app.ledger import Ledger
from diplo.domain.errors import (
    AlreadyExists,
    GrantAlreadySigned,
    OverDisbursed,
    UnknownReference,
)
from diplo.events.errors import InvalidEvent
from tests.conftest import GRANT, ORG, facts

GOV_IN = {
    "type": "OrganizationRegistered",
    "org": "gov-in",
    "name": "Government of India",
    "country": "IN",
    "kind": "government",
}
NOTES = {
    "type": "AgreementSigned",
    "agreement": "en-1",
    "kind": "exchange-of-notes",
    "parties": ["gov-in", "JP"],
    "title": "Exchange of Notes on a yen loan",
    "amount": {"value": "50000000000", "currency": "JPY", "qualifier": "up-to"},
    "occurred_on": "2020-08-31",
}
LOAN = {
    "type": "LoanAgreementSigned",
    "loan": "l1",
    "lender": "JP",
    "borrower": "gov-in",
    "purpose": "COVID-19 emergency support",
    "amount": {"value": "50000000000", "currency": "JPY", "qualifier": "up-to"},
    "under": "en-1",
    "terms": {"interest_rate": "0.01", "maturity_years": 15, "grace_years": 4},
    "occurred_on": "2020-08-31",
}


def paid(value: str, of: str = "l1", n: int = 1, currency: str = "JPY") -> dict[str, Any]:
    return {
        "type": "FundsDisbursed",
        "disbursement": f"d{n}",
        "of": of,
        "amount": {"value": value, "currency": currency},
        "occurred_on": "2020-10",
    }


def record(ledger: Ledger, *bodies: dict[str, Any]) -> Any:
    return ledger.record(facts(*bodies), recorded_by="clerk")


def test_disbursements_may_reach_an_up_to_ceiling_but_not_pass_it(ledger: Ledger) -> None:
    record(ledger, GOV_IN, NOTES, LOAN, paid("30000000000"), paid("20000000000", n=2))
    with pytest.raises(OverDisbursed, match="more than a ceiling of 50000000000 JPY"):
        record(ledger, paid("1", n=3))


def test_disbursements_of_an_exact_grant_may_not_exceed_it(ledger: Ledger) -> None:
    grant = GRANT | {"amount": {"value": "100", "currency": "USD"}}
    record(ledger, ORG, grant, paid("60", of="g1", currency="USD"))
    with pytest.raises(OverDisbursed, match="exactly 100 USD"):
        record(ledger, paid("41", of="g1", n=2, currency="USD"))
    record(ledger, paid("40", of="g1", n=2, currency="USD"))


def test_a_disbursement_in_another_currency_is_refused(ledger: Ledger) -> None:
    record(ledger, GOV_IN, NOTES, LOAN)
    with pytest.raises(OverDisbursed, match="amount.currency"):
        record(ledger, paid("5", currency="USD"))


def test_a_retracted_disbursement_frees_its_amount(ledger: Ledger) -> None:
    record(ledger, GOV_IN, NOTES, LOAN, paid("50000000000"))
    keys = [s.key for s in ledger.read()]
    record(ledger, {"type": "EventRetracted", "target": keys[-1], "reason": "double counted"})
    record(ledger, paid("50000000000", n=2))


def test_a_correction_may_not_lift_disbursements_over_the_amount(ledger: Ledger) -> None:
    record(ledger, GOV_IN, NOTES, LOAN, paid("40000000000"))
    loan_key = [s.key for s in ledger.read() if s.fact.type == "LoanAgreementSigned"][0]
    with pytest.raises(OverDisbursed):
        record(
            ledger,
            {
                "type": "EventCorrected",
                "target": loan_key,
                "changes": {"amount": {"value": "30000000000", "currency": "JPY"}},
                "reason": "a later report",
            },
        )


def test_a_disbursement_id_is_recorded_once_per_grant_or_loan(ledger: Ledger) -> None:
    record(ledger, GOV_IN, NOTES, LOAN, paid("1"))
    with pytest.raises(AlreadyExists, match="disbursement 'd1'"):
        record(ledger, paid("2"))


def test_under_must_name_a_recorded_agreement(ledger: Ledger) -> None:
    record(ledger, GOV_IN)
    with pytest.raises(UnknownReference, match="under: unknown agreement 'en-1'"):
        record(ledger, LOAN)


def test_disbursing_under_an_unknown_grant_or_loan_is_refused(ledger: Ledger) -> None:
    with pytest.raises(UnknownReference, match="of: unknown grant or loan 'nothing'"):
        record(ledger, paid("1", of="nothing"))


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (GRANT | {"recipient": "JP"}, "donor and recipient are the same"),
        (LOAN | {"borrower": "JP"}, "lender and borrower are the same"),
        (GRANT | {"sector": "12345"}, "unknown sector '12345'"),
        (GRANT | {"occurred_on": "2019/2022"}, "invalid date"),
        (
            LOAN | {"terms": {"maturity_years": 3, "grace_years": 4}},
            "grace period is part of the maturity",
        ),
    ],
)
def test_v2_values_are_checked_where_they_are_read(body: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidEvent, match=message):
        facts(body)


@pytest.mark.parametrize("model", [GRANT, LOAN], ids=["grant", "loan"])
@pytest.mark.parametrize(
    ("code", "name"),
    [("15162", "Human rights"), ("23010", "Energy policy and administrative management")],
)
def test_a_sector_code_withdrawn_before_the_event_is_refused_with_its_name_and_date(
    model: dict[str, Any], code: str, name: str
) -> None:
    """Both left the CRS list on 2020-02-28 (23010 with its whole group, 230): a grant or
    loan of March 2020 or later cannot carry them; the problem names the field, the code,
    its name and the date."""
    with pytest.raises(InvalidEvent) as refused:
        facts(model | {"sector": code, "occurred_on": "2020-03"})
    (problem,) = refused.value.problems
    assert problem.field == "sector"
    assert f"{code} ({name}) was withdrawn" in problem.message
    assert "on 2020-02-28" in problem.message


@pytest.mark.parametrize(
    "occurred_on",
    ["2019-06-01", "2020-02-28", "2020", "2020?"],  # before, on the day, a year spanning it
)
def test_a_withdrawn_code_stays_valid_for_events_it_may_have_classified(occurred_on: str) -> None:
    for code in ("15162", "23010"):
        ((_, fact),) = facts(GRANT | {"sector": code, "occurred_on": occurred_on})
        assert fact.sector == code  # type: ignore[attr-defined]


def test_every_withdrawn_code_of_the_codelist_is_known_with_its_date() -> None:
    """The shipped list is the IATI Sector codelist: its withdrawn codes and their dates."""
    import xml.etree.ElementTree as ET

    from diplo.events.sectors import sectors

    codelist = Path(__file__).parents[1] / "fixtures/shared/iati/codelists-2.03/Sector.xml"
    withdrawn = {
        item.findtext("code"): item.get("withdrawal-date")
        for item in ET.parse(codelist).getroot().iter("codelist-item")
        if item.get("status") == "withdrawn"
    }
    assert withdrawn, "the codelist marks withdrawn codes"
    shipped = {
        code: sector.withdrawn_on.isoformat()
        for code, sector in sectors().items()
        if sector.withdrawn_on
    }
    assert shipped == withdrawn


def test_a_period_is_an_interval_and_only_a_period_is() -> None:
    ((_, fact),) = facts(
        {
            "type": "TechnicalCooperationProvided",
            "activity": "t1",
            "provider": "JP",
            "recipient": "UZ",
            "kind": "scholarships",
            "field": "medicine",
            "period": "2019/2022",
            "occurred_on": "2019",
        }
    )
    assert str(fact.period) == "2019/2022"
    with pytest.raises(InvalidEvent, match="ends before it starts"):
        facts(fact.model_dump(mode="json") | {"period": "2022/2019"})


def test_the_same_registration_from_another_article_corroborates_it(ledger: Ledger) -> None:
    first = ORG | {"key": "a1/org", "sources": [{"publisher": "UzA", "title": "one"}]}
    again = ORG | {"key": "a2/org", "sources": [{"publisher": "Kun.uz", "title": "two"}]}
    record(ledger, first)
    outcome = record(ledger, again)
    assert (outcome.new, outcome.skipped, outcome.corroborated) == (0, 1, 1)
    (last,) = list(ledger.read(start=ledger.head()))
    assert last.fact.type == "EventCorroborated"
    assert last.fact.target == "a1/org"
    assert [s.publisher for s in last.fact.sources] == ["Kun.uz"]
    # the same article once more brings no new source: nothing is recorded
    outcome = record(ledger, again | {"key": "a3/org"})
    assert (outcome.new, outcome.skipped, outcome.corroborated) == (0, 1, 0)


def test_a_repeat_with_other_content_names_every_differing_field(ledger: Ledger) -> None:
    record(ledger, ORG, GRANT)
    with pytest.raises(GrantAlreadySigned, match="amount, purpose differ"):
        record(
            ledger,
            GRANT
            | {
                "key": "other",
                "purpose": "Something else",
                "amount": {"value": "1", "currency": "JPY"},
            },
        )
