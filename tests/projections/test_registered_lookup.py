"""Names and countries of registered parties are read from the views as they are asked for:
opening views costs nothing per registered party, a catch-up sees the registrations another
process applied meanwhile, and a report's names stay in flat memory."""

from __future__ import annotations

import tracemalloc
from typing import Any

import pytest

from diplo.domain.app.ledger import Ledger
from diplo.projections import provenance
from diplo.projections.current import ViewsDb
from diplo.projections.provenance import REGISTERED, countries, names
from diplo.projections.runner import rebuild, update
from diplo.projections.views import Views
from tests.conftest import GRANT, ORG, PERSON, facts
from tests.projections.helpers import catch_up, dump, rows


def test_a_catch_up_names_a_party_another_process_registered_while_it_was_open(
    ledger: Ledger, views: str, tmp_path: Any
) -> None:
    ledger.record(facts(PERSON), recorded_by="clerk")
    catch_up(ledger, views)
    first = Views(views)  # opened before the ministry is registered
    try:
        ledger.record(facts(ORG), recorded_by="clerk")
        catch_up(ledger, views)  # another process applies the registration
        ledger.record(facts(GRANT), recorded_by="clerk")
        assert update(ledger, first) == 1  # the grant, to the ministry: its country is UZ
    finally:
        first.close()
    assert rows(views, "SELECT pair, recipient_country FROM grants") == [("JP-UZ", "UZ")]
    rebuilt = str(tmp_path / "rebuilt.db")
    rebuild(ledger, rebuilt)
    assert dump(views) == dump(rebuilt)


def test_opening_views_reads_none_of_the_registered_parties(ledger: Ledger, views: str) -> None:
    def opening_peak() -> int:
        tracemalloc.start()
        try:
            Views(views).close()
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    ledger.record(facts(ORG), recorded_by="clerk")
    catch_up(ledger, views)
    few = opening_peak()
    many = [ORG | {"org": f"org-{n}", "name": f"Organisation {n}"} for n in range(3000)]
    ledger.record(facts(*many), recorded_by="clerk")
    catch_up(ledger, views)
    assert rows(views, "SELECT count(*) FROM organizations") == [(3001,)]
    # Loaded whole, 3,000 names and countries took over 600 KB.
    assert opening_peak() - few < 100_000


@pytest.mark.parametrize("kept", [100_000, 10], ids=["read whole", "read one by one"])
def test_a_report_names_each_id_and_country_as_the_whole_tables_do(
    varied_views: ViewsDb, kept: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(provenance, "KEPT", kept)
    whole = dict(countries())
    for table, column in REGISTERED:  # the later table's name wins
        whole.update(varied_views.execute(f'SELECT "{column}", name FROM "{table}"').fetchall())
    named = names(varied_views)  # type: ignore[arg-type]
    assert len(whole) - len(countries()) > 150
    for ident, name in whole.items():
        assert named.get(ident) == name
    assert named.get("no-such-id") is None
    assert named.get("no-such-id", "no-such-id") == "no-such-id"
    assert named.whole is (kept == 100_000)
    assert len(named.kept or {}) <= (len(whole) if named.whole else kept)


def test_a_report_reads_no_name_until_it_shows_one(varied_views: ViewsDb) -> None:
    named = names(varied_views)  # type: ignore[arg-type]
    assert named.kept is None  # JSON, CSV and Markdown show ids: they never ask
    assert named.get("JP") == "Japan"
    assert named.kept is not None
