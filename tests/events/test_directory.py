"""The directory a reader of the whole log follows it with (``events/directory.py``)."""

from __future__ import annotations

from diplo.events.directory import Directory


def signed(grant: str, donor: str, recipient: str) -> dict[str, str]:
    return {"type": "GrantAgreementSigned", "grant": grant, "donor": donor, "recipient": recipient}


def test_a_record_is_remembered_under_the_countries_it_involves() -> None:
    directory = Directory()
    directory.follow(signed("g-1", "JP", "UZ"))
    assert list(directory.records[("grant", "g-1")]) == ["JP", "UZ"]


def test_records_with_the_same_countries_share_one_value() -> None:
    """A rebuild remembers the countries of every record in the log, hundreds of thousands
    on a long one: records with the same countries hold one shared value, not a copy each."""
    directory = Directory()
    for grant in ("g-1", "g-2"):
        directory.follow({**signed(grant, "JP", "UZ"), "purpose": f"{grant}"})
    directory.follow(signed("g-3", "JP", "LR"))
    first, second, third = (directory.records[("grant", g)] for g in ("g-1", "g-2", "g-3"))
    assert first == second and first is second
    assert list(third) == ["JP", "LR"]
