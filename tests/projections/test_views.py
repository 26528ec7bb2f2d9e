"""The views: what each table says after the seed example, corrections and retractions."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from eventsourcing.persistence import IntegrityError

from diplo.domain.app.ledger import Ledger
from diplo.projections import runner
from diplo.projections.runner import rebuild, update, views_path
from diplo.projections.views import Views
from tests.conftest import GRANT, ORG, SEED, facts
from tests.projections.helpers import catch_up, dump, rows
from tests.test_seed import seed_facts


def test_views_live_beside_the_store(store: str) -> None:
    assert views_path(store).endswith("ledger.views.db")
    assert views_path(store, "/elsewhere/v.db") == "/elsewhere/v.db"


def test_the_seed_partnership_counts_what_the_article_reports(ledger: Ledger, views: str) -> None:
    ledger.record(seed_facts(), recorded_by="clerk")
    catch_up(ledger, views)
    assert rows(
        views,
        "SELECT pair, meetings, grants, deliveries, projects, cooperations, "
        "first_activity, last_activity FROM partnerships",
    ) == [("JP-UZ", 1, 3, 1, 1, 1, "2025?", "2025?")]
    assert (
        rows(views, "SELECT donor_country, recipient_country, status FROM grants")
        == [("JP", "UZ", "active")] * 3
    )
    assert rows(views, "SELECT status, beds, region FROM projects") == [("planned", 800, "UZ-SA")]
    assert rows(views, "SELECT title, org FROM people WHERE person = 'hatori-takashi'") == [
        ("Ambassador Extraordinary and Plenipotentiary of Japan to Uzbekistan", "embassy-jp-uz")
    ]
    assert (
        sorted(rows(views, "SELECT source, status FROM funded_equipment"))
        == [("delivery", "delivered")] + [("grant", "funded")] * 3
    )
    assert rows(views, "SELECT count(*), min(uncertain) FROM timeline") == [(11, 1)]


def test_funding_totals_are_exact_decimals_per_currency(ledger: Ledger, views: str) -> None:
    amounts = ["0.10", "0.20", "1000000000000000.05"]
    ledger.record(
        facts(
            ORG,
            *[
                GRANT | {"grant": f"g{i}", "amount": {"value": v, "currency": "USD"}}
                for i, v in enumerate(amounts)
            ],
        ),
        recorded_by="clerk",
    )
    catch_up(ledger, views)
    assert rows(
        views,
        "SELECT pair, currency, total, counted FROM partnership_funding WHERE kind = 'granted'",
    ) == [("JP-UZ", "USD", "1000000000000000.35", 3)]


def test_a_corrected_amount_changes_the_totals_and_a_retraction_removes_it(
    ledger: Ledger, views: str
) -> None:
    ledger.record(
        facts(ORG, GRANT | {"key": "g1"}, GRANT | {"key": "g2", "grant": "g2"}), recorded_by="clerk"
    )
    catch_up(ledger, views)
    assert rows(views, "SELECT total FROM partnership_funding") == [("20000000",)]
    ledger.record(
        facts(
            {
                "type": "EventCorrected",
                "target": "g1",
                "reason": "misread",
                "changes": {"amount": {"value": "15000000", "currency": "JPY"}},
            }
        ),
        recorded_by="auditor",
    )
    catch_up(ledger, views)
    assert rows(views, "SELECT total FROM partnership_funding") == [("25000000",)]
    assert rows(views, "SELECT status, value FROM grants WHERE grant = 'g1'") == [
        ("corrected", "15000000")
    ]
    ledger.record(
        facts({"type": "EventRetracted", "target": "g2", "reason": "duplicate"}),
        recorded_by="auditor",
    )
    catch_up(ledger, views)
    assert rows(views, "SELECT total FROM partnership_funding") == [("15000000",)]
    assert rows(views, "SELECT grants FROM partnerships") == [(1,)]
    assert rows(views, "SELECT status FROM timeline WHERE key = 'g2'") == [("retracted",)]


def test_a_total_drops_the_cents_and_the_ceiling_of_an_amount_corrected_away(
    ledger: Ledger, views: str
) -> None:
    """A running total is written as summing its amounts afresh writes it: once no amount
    has cents, neither has the total, and once none is a ceiling, it is no longer up-to."""
    ceiling = {"value": "0.50", "currency": "JPY", "qualifier": "up-to"}
    ledger.record(
        facts(ORG, GRANT | {"key": "g1"}, GRANT | {"key": "g2", "grant": "g2", "amount": ceiling}),
        recorded_by="clerk",
    )
    catch_up(ledger, views)
    funding = "SELECT total, qualifier, counted FROM partnership_funding"
    assert rows(views, funding) == [("10000000.50", "up-to", 2)]
    ledger.record(
        facts(
            {
                "type": "EventCorrected",
                "target": "g2",
                "reason": "misread",
                "changes": {"amount": {"value": "2", "currency": "JPY"}},
            }
        ),
        recorded_by="auditor",
    )
    catch_up(ledger, views)
    assert rows(views, funding) == [("10000002", None, 2)]


def test_correcting_an_organisations_country_moves_its_grants(ledger: Ledger, views: str) -> None:
    ledger.record(facts(ORG | {"key": "org"}, GRANT), recorded_by="clerk")
    catch_up(ledger, views)
    ledger.record(
        facts(
            {
                "type": "EventCorrected",
                "target": "org",
                "reason": "wrong country",
                "changes": {"country": "KZ"},
            }
        ),
        recorded_by="auditor",
    )
    catch_up(ledger, views)
    assert rows(views, "SELECT pair FROM partnerships") == [("JP-KZ",)]
    assert rows(views, "SELECT recipient_country FROM grants") == [("KZ",)]


def test_project_status_follows_its_milestones(ledger: Ledger, views: str) -> None:
    clinic = {
        "type": "ClinicPlanned",
        "project": "c",
        "name": "C",
        "country": "UZ",
        "financing": "ppp",
        "occurred_on": "2025",
    }
    started = {
        "type": "ProjectMilestoneReached",
        "project": "c",
        "key": "m1",
        "milestone": "construction-started",
        "occurred_on": "2026",
    }
    ledger.record(facts(clinic, started), recorded_by="clerk")
    catch_up(ledger, views)
    assert rows(views, "SELECT status FROM projects") == [("construction-started",)]
    ledger.record(
        facts({"type": "EventRetracted", "target": "m1", "reason": "not yet"}),
        recorded_by="auditor",
    )
    catch_up(ledger, views)
    assert rows(views, "SELECT status FROM projects") == [("planned",)]


def test_a_delivery_naming_a_grant_marks_its_funded_equipment_delivered(
    ledger: Ledger, views: str
) -> None:
    funded = {
        "type": "EquipmentFunded",
        "grant": "g1",
        "occurred_on": "2025-04",
        "items": [{"description": "Scanner", "quantity": 2}],
    }
    delivered = {
        "type": "EquipmentDelivered",
        "delivery": "d1",
        "donor": "JP",
        "recipient": "moh-uz",
        "grant": "g1",
        "occurred_on": "2025-09",
        "items": [{"description": "Scanner", "quantity": 2}],
    }
    ledger.record(facts(ORG, GRANT, funded), recorded_by="clerk")
    catch_up(ledger, views)
    assert rows(views, "SELECT status, donor, recipient FROM funded_equipment") == [
        ("funded", "JP", "moh-uz")
    ]
    ledger.record(facts(delivered), recorded_by="clerk")
    catch_up(ledger, views)
    assert rows(
        views, "SELECT status, delivered_on FROM funded_equipment WHERE source = 'grant'"
    ) == [("delivered", "2025-09")]


def test_a_replayed_chunk_is_skipped_not_counted_twice(ledger: Ledger, views: str) -> None:
    ledger.record(facts(ORG, GRANT), recorded_by="clerk")
    opened = Views(views)
    try:
        update(ledger, opened)
        before = dump(views)
        assert opened.apply(ledger.recorder.select_notifications(1, 10), ledger) == 0
        assert dump(views) == before
        assert rows(views, "SELECT grants FROM partnerships") == [(1,)]
    finally:
        opened.close()


def test_a_chunk_that_skips_positions_is_refused(ledger: Ledger, views: str) -> None:
    ledger.record(facts(ORG, GRANT, GRANT | {"grant": "g2"}), recorded_by="clerk")
    opened = Views(views)
    try:
        with pytest.raises(IntegrityError, match="expect position 1, got 2"):
            opened.apply(ledger.recorder.select_notifications(2, 10), ledger)
        assert opened.max_tracking_id() is None
    finally:
        opened.close()


def test_deleting_the_views_file_and_reading_rebuilds_it(ledger: Ledger, views: str) -> None:
    ledger.record(seed_facts(), recorded_by="clerk")
    catch_up(ledger, views)
    before = dump(views)
    Path(views).unlink()
    catch_up(ledger, views)
    assert dump(views) == before


def test_rebuild_equals_incremental_updates_on_the_seed(
    ledger: Ledger, views: str, tmp_path: Path
) -> None:
    for index, item in enumerate(seed_facts()):
        ledger.record([item], recorded_by="clerk")
        if index % 5 == 0:
            catch_up(ledger, views)
    catch_up(ledger, views)
    rebuilt = str(tmp_path / "rebuilt.db")
    rebuild(ledger, rebuilt)
    assert dump(rebuilt) == dump(views)


def test_table_and_column_descriptions_travel_with_the_file(ledger: Ledger, views: str) -> None:
    catch_up(ledger, views)
    described = rows(
        views,
        "SELECT description FROM _columns WHERE \"table\" = 'grants' AND "
        "\"column\" = 'donor_country'",
    )
    assert described == [("donor's country",)]
    assert SEED.exists()


def test_the_docs_document_every_view_table_and_column() -> None:
    from diplo.projections.tables import markdown

    docs = (Path(__file__).parents[2] / "docs" / "views.md").read_text()
    assert markdown() == docs, "regenerate with: python -m diplo.projections.tables > docs/views.md"


def test_small_internal_rows_live_in_their_keys_b_tree(
    ledger: Ledger, views: str, tmp_path: Path
) -> None:
    """``_mentions``, ``_pairs``, ``sources`` and ``_log_directory`` are WITHOUT ROWID (one
    B-tree written per row, not a table and its key's index), ``_log``'s position is its
    rowid; a rebuild makes the same schema as a catch-up."""
    ledger.record(seed_facts(), recorded_by="clerk")
    catch_up(ledger, views)
    rebuilt = str(tmp_path / "rebuilt.db")
    rebuild(ledger, rebuilt)
    schema = "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE '%migrations%'"
    assert sorted(rows(rebuilt, schema)) == sorted(rows(views, schema))
    compact = ("_mentions", "_pairs", "sources", "_log_directory")
    made = dict(rows(views, "SELECT name, sql FROM sqlite_master WHERE type = 'table'"))
    assert all(made[name].endswith("WITHOUT ROWID") for name in compact)
    assert '"position" INTEGER PRIMARY KEY' in made["_log"]
    indexes = {name for (name,) in rows(views, "SELECT name FROM sqlite_master WHERE sql IS NULL")}
    assert not {f"sqlite_autoindex_{name}_1" for name in (*compact, "_log")} & indexes
    assert "sqlite_autoindex_grants_1" in indexes  # wide rows stay in rowid tables
    assert rows(views, "SELECT position FROM _log ORDER BY rowid") == [
        (position,) for position in range(1, ledger.head() + 1)
    ]


def test_views_of_another_layout_are_rebuilt_not_caught_up_from_the_start(
    ledger: Ledger, views: str
) -> None:
    """A views file another version of diplo made is rebuilt on its first read: a rebuild
    derives a large log several times as fast as catching up from position 0."""
    ledger.record(seed_facts(), recorded_by="clerk")
    catch_up(ledger, views)
    expected = dump(views)
    db = sqlite3.connect(views)  # as an older diplo, whose tables differed, left it
    db.execute("UPDATE _layout SET fingerprint = 'older'")
    db.commit()
    db.close()
    before = Path(views).stat().st_ino
    heard: list[str] = []
    opened, applied = runner.catch_up(ledger, views, notice=heard.append)
    opened.close()
    assert heard == [
        f"views at {views}: they were made by another version of diplo, with other tables; "
        "rebuilding them from the ledger"
    ]
    assert Path(views).stat().st_ino != before  # a new file, renamed into place
    assert applied == ledger.head()
    assert dump(views) == expected
    heard.clear()
    runner.catch_up(ledger, views, notice=heard.append)[0].close()
    assert heard == []  # once rebuilt, it is read as it is
