"""Hypothesis strategies: sequences of events that a ledger must accept, in a valid order."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

slugs = st.from_regex(r"[a-z0-9][a-z0-9-]{0,12}", fullmatch=True)
names = (
    st.text(
        alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyz ABCXYZ-–ʻЎўçé日本0123456789&'\""),
        min_size=1,
        max_size=40,
    )
    .map(str.strip)
    .filter(bool)
)
countries = st.sampled_from(["JP", "UZ", "KZ", "DE", "FR", "US", "TJ"])
dates = st.sampled_from(["2023", "2024-03", "2024-03-15", "2025~", "2025-01?", "2022-12-31"])
money = st.builds(
    lambda v, c: {"value": v, "currency": c},
    st.from_regex(r"(0|[1-9][0-9]{0,9})(\.[0-9]{1,2})?", fullmatch=True),
    st.sampled_from(["JPY", "USD", "UZS", "EUR"]),
)
sources = st.lists(st.builds(lambda p, t: {"publisher": p, "title": t}, names, names), max_size=2)


@st.composite
def event_sequences(draw: Any) -> list[dict[str, Any]]:
    """Registrations first, then activity that refers only to what exists, then corrections."""
    org_ids = draw(st.lists(slugs, min_size=1, max_size=4, unique=True))
    people = draw(st.lists(slugs, max_size=2, unique=True))
    # People are registered before the organisations they are then appointed to, so the log
    # must keep input order across streams for an export to be re-importable.
    events: list[dict[str, Any]] = [
        {"type": "PersonRegistered", "person": person, "name": draw(names)} for person in people
    ]
    events += [
        {
            "type": "OrganizationRegistered",
            "org": org,
            "name": draw(names),
            "key": f"org-{org}",
            "country": draw(countries),
            "kind": "ministry",
            "aliases": draw(st.lists(names, max_size=2)),
        }
        for org in org_ids
    ]
    events += [
        {
            "type": "PersonAppointed",
            "person": person,
            "org": draw(st.sampled_from(org_ids)),
            "title": draw(names),
        }
        for person in people
    ]
    parties = st.one_of(countries, st.sampled_from(org_ids))
    grant_ids = draw(st.lists(slugs, max_size=4, unique=True))
    for index, grant in enumerate(grant_ids):
        donor = draw(parties)
        events.append(
            {
                "type": "GrantAgreementSigned",
                "grant": grant,
                "donor": donor,
                "recipient": draw(parties.filter(lambda p, d=donor: p != d)),  # two sides
                "purpose": draw(names),
                "occurred_on": draw(dates),
                "key": f"grant-{index}",
                "amount": draw(st.one_of(st.none(), money)),
                "sources": draw(sources),
            }
        )
        if draw(st.booleans()):
            events.append(
                {
                    "type": "EquipmentFunded",
                    "grant": grant,
                    "occurred_on": draw(dates),
                    "items": [{"description": draw(names), "quantity": draw(st.integers(1, 50))}],
                }
            )
    for meeting in draw(st.lists(slugs, max_size=3, unique=True)):
        events.append(
            {
                "type": "MeetingHeld",
                "meeting": meeting,
                "occurred_on": draw(dates),
                "countries": draw(st.lists(countries, min_size=1, max_size=3)),
                "participants": draw(st.lists(st.sampled_from(org_ids), max_size=2)),
                "topics": draw(st.lists(names, max_size=2)),
            }
        )
    if grant_ids and draw(st.booleans()):
        target = f"grant-{draw(st.integers(0, len(grant_ids) - 1))}"
        change = draw(st.sampled_from([{"purpose": draw(names)}, {"amount": draw(money)}]))
        events.append(
            {"type": "EventCorrected", "target": target, "changes": change, "reason": draw(names)}
        )
        if draw(st.booleans()):
            events.append({"type": "EventRetracted", "target": target, "reason": draw(names)})
    if draw(st.booleans()):  # an organisation's country or name corrected after the fact
        org = draw(st.sampled_from(org_ids))
        change = draw(st.sampled_from([{"country": draw(countries)}, {"name": draw(names)}]))
        events.append(
            {
                "type": "EventCorrected",
                "target": f"org-{org}",
                "changes": change,
                "reason": "register was wrong",
            }
        )
    return events


# Amounts of every shape a total must keep exact: 0 to 6 decimal places, ceilings, estimates.
amounts = st.builds(
    lambda value, currency, qualifier: (
        {"value": value, "currency": currency} | ({"qualifier": qualifier} if qualifier else {})
    ),
    st.from_regex(r"(0|[1-9][0-9]{0,9})(\.[0-9]{1,6})?", fullmatch=True),
    st.sampled_from(["JPY", "USD", "EUR"]),
    st.sampled_from([None, None, "up-to", "about"]),
)
small = st.sampled_from(["0", "0.5", "1", "0.000001", "12.25"])  # paid within most amounts
MONEY_TYPES = {
    "grant": ("GrantAgreementSigned", "donor", "recipient"),
    "loan": ("LoanAgreementSigned", "lender", "borrower"),
}


@st.composite
def money_sequences(draw: Any) -> list[dict[str, Any]]:
    """Registrations, grants, loans, agreements and disbursements under them; then corrections
    of their amounts and of the organisations' countries (which move them to another pair),
    and retractions. The ledger may refuse some (a disbursement over its grant): record them
    one by one and keep what it accepts."""
    orgs = draw(st.lists(slugs, min_size=1, max_size=3, unique=True))
    events = [
        {"type": "OrganizationRegistered", "org": org, "name": org, "key": f"org-{org}"}
        | {"country": draw(countries), "kind": "ministry"}
        for org in orgs
    ]
    parties = st.one_of(countries, st.sampled_from(orgs))
    funded: dict[str, dict[str, str]] = {}  # grants and loans money may be paid under
    for n in range(draw(st.integers(0, 8))):
        kind = draw(st.sampled_from(["grant", "loan", "agreement", "disbursement"] * 2 + ["paid"]))
        one = draw(parties)
        sides = (one, draw(parties.filter(lambda p, one=one: p != one)))
        body = {"key": f"money-{n}", "occurred_on": draw(dates), "amount": draw(amounts)}
        if kind in MONEY_TYPES:
            name, first, second = MONEY_TYPES[kind]
            funded[f"{kind}-{n}"] = body["amount"]
            body |= {"type": name, kind: f"{kind}-{n}", first: sides[0], second: sides[1]}
            body |= {"purpose": "aid"}
        elif kind == "agreement":
            body |= {"type": "AgreementSigned", "agreement": f"a-{n}", "parties": list(sides)}
            body |= {"kind": "exchange-of-notes", "title": "notes"}
        elif funded:  # a disbursement ("paid": more of them)
            of = draw(st.sampled_from(sorted(funded)))
            body |= {"type": "FundsDisbursed", "disbursement": f"d-{n}", "of": of}
            body["amount"] = {"value": draw(small), "currency": funded[of]["currency"]}
        else:
            continue
        events.append(body)
    stated = {e["key"]: e["amount"] for e in events[len(orgs) :]}
    return events + draw(amendments(stated, orgs))


@st.composite
def amendments(
    draw: Any, stated: dict[str, dict[str, str]], orgs: list[str]
) -> list[dict[str, Any]]:
    """Corrections of amounts (mostly in the currency stated, which money paid under them
    needs; or of an amount away, where it is optional) or dates, of organisations'
    countries, and retractions, of the events ``stated`` names, with the amount each states."""
    events: list[dict[str, Any]] = []
    targets = sorted(stated)
    for target in draw(st.lists(st.sampled_from(targets), max_size=4)) if targets else []:
        amount = draw(st.none() | amounts)
        if amount and draw(st.booleans()):
            amount["currency"] = stated[target]["currency"]
        change = draw(st.sampled_from([{"amount": amount}, {"occurred_on": draw(dates)}]))
        events.append({"type": "EventCorrected", "target": target, "changes": change})
    for org in draw(st.lists(st.sampled_from(orgs), max_size=2)):
        change = {"country": draw(countries)}
        events.append({"type": "EventCorrected", "target": f"org-{org}", "changes": change})
    retracted = draw(st.lists(st.sampled_from(targets), max_size=2, unique=True)) if targets else []
    events += [{"type": "EventRetracted", "target": target} for target in retracted]
    return [event | {"reason": "misread"} for event in events]
