"""Stored facts are read back as they were recorded: their codes were checked against the ISO
lists on input, and are not looked up again on reading (which made reading slow, and would
make a fact unreadable if a later list withdrew one of its codes)."""

from __future__ import annotations

import subprocess
import sys

import pycountry
import pytest

from diplo.domain.store.opening import open_ledger
from diplo.events import values
from diplo.events.catalog import parse_fact
from diplo.events.errors import InvalidEvent
from tests.conftest import GRANT, ORG, facts


def withdraw_uz(monkeypatch: pytest.MonkeyPatch) -> None:
    """As if the country list no longer held UZ (and nothing was remembered of it)."""
    known = pycountry.countries.get

    def get(**fields: str) -> object:
        return None if fields.get("alpha_2") == "UZ" else known(**fields)

    monkeypatch.setattr(pycountry.countries, "get", get)
    values._country.cache_clear()
    values._party.cache_clear()


def test_a_stored_fact_reads_back_after_its_country_left_the_list(
    store: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger = open_ledger(store)
    ledger.record(facts(ORG, GRANT), recorded_by="clerk")
    withdraw_uz(monkeypatch)
    try:
        read = [stored.fact for stored in ledger.read()]
    finally:
        ledger.close()
        values._country.cache_clear()
        values._party.cache_clear()
    assert [fact.type for fact in read] == ["OrganizationRegistered", "GrantAgreementSigned"]
    assert read[0].country == "UZ"  # type: ignore[attr-defined]


def test_input_is_still_checked_against_the_list(monkeypatch: pytest.MonkeyPatch) -> None:
    withdraw_uz(monkeypatch)
    try:
        with pytest.raises(InvalidEvent, match="unknown country 'UZ'"):
            parse_fact(ORG)
    finally:
        values._country.cache_clear()
        values._party.cache_clear()


def test_reading_the_log_loads_no_country_list(store: str) -> None:
    ledger = open_ledger(store)
    ledger.record(facts(ORG, GRANT), recorded_by="clerk")
    ledger.close()
    probe = (
        "import sys; from diplo.domain.store.opening import open_ledger; "
        f"ledger = open_ledger({store!r}); n = len(list(ledger.read())); ledger.close(); "
        "print(n, 'pycountry' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["2", "False"]
