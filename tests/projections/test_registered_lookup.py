"""Names and countries of registered parties are read from the views as they are asked for:
opening views costs nothing per registered party, a catch-up sees the registrations another
process applied meanwhile."""

from __future__ import annotations

import tracemalloc
from typing import Any

from diplo.domain.app.ledger import Ledger
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
