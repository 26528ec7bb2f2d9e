"""The `sources` view: every event's provenance, one row per cited source."""

from __future__ import annotations

import sqlite3

from diplo.domain.app.ledger import Ledger
from tests.conftest import GRANT, ORG, facts
from tests.projections.helpers import catch_up, dump, rows

UZA = {"publisher": "UzA", "title": "Grant agreements signed", "url": "https://uza.uz/a"}
KUN = {"publisher": "Kun.uz", "title": "Japan funds a hospital", "published_on": "2025-03-16"}


def test_each_cited_source_is_one_row_in_the_order_the_event_lists_them(
    ledger: Ledger, views: str
) -> None:
    ledger.record(facts(ORG, GRANT | {"key": "g1", "sources": [UZA, KUN]}), recorded_by="clerk")
    catch_up(ledger, views)
    listed = "SELECT n, publisher, title, url, published_on FROM sources WHERE key = 'g1'"
    assert rows(views, listed) == [
        (1, "UzA", "Grant agreements signed", "https://uza.uz/a", None),
        (2, "Kun.uz", "Japan funds a hospital", None, "2025-03-16"),
    ]
    assert rows(views, "SELECT count(*) FROM sources WHERE key != 'g1'") == [(0,)]  # ORG: none


def test_a_retracted_events_sources_stay_listed_as_retracted(ledger: Ledger, views: str) -> None:
    ledger.record(facts(ORG, GRANT | {"key": "g1", "sources": [UZA]}), recorded_by="clerk")
    catch_up(ledger, views)
    retraction = {"type": "EventRetracted", "target": "g1", "reason": "duplicate"}
    ledger.record(facts(retraction), recorded_by="auditor")
    catch_up(ledger, views)
    assert rows(views, "SELECT publisher, status FROM sources") == [("UzA", "retracted")]


def test_a_views_file_made_before_sources_existed_is_refilled_with_them(
    ledger: Ledger, views: str
) -> None:
    ledger.record(facts(ORG, GRANT | {"key": "g1", "sources": [UZA]}), recorded_by="clerk")
    catch_up(ledger, views)
    expected = dump(views)
    db = sqlite3.connect(views)  # make it what the previous version left behind
    db.execute("DROP TABLE sources")
    db.execute("DELETE FROM _layout")  # made before this layout
    db.commit()
    db.close()
    catch_up(ledger, views)
    assert dump(views) == expected
