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
