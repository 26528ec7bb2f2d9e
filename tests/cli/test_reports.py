"""`diplo report` and `diplo views`: dossiers a reader can trust, in every format."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import GRANT, ORG, SEED, write_jsonl


@pytest.fixture
def seeded(diplo: Any, store: str) -> str:
    assert diplo("import", str(SEED), "--store", store).exit_code == 0
    return store


def test_import_updates_the_views_and_no_views_skips_it(
    diplo: Any, store: str, tmp_path: Path
) -> None:
    path = write_jsonl(tmp_path / "a.jsonl", ORG | {"org": "another-ministry"})
    assert diplo("import", path, "--store", store, "--no-views").exit_code == 0
    assert not Path(store.replace(".db", ".views.db")).exists()
    assert diplo("import", str(SEED), "--store", store).exit_code == 0
    assert Path(store.replace(".db", ".views.db")).exists()


def test_the_partnership_report_of_the_seed_shows_what_the_article_reports(
    diplo: Any, seeded: str
) -> None:
    result = diplo("report", "partnership", "UZ", "JP", "--store", seeded)
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "# Partnership JP-UZ" in text
    for figure in (
        "**meetings**: 1",
        "**grants**: 3",
        "**deliveries**: 1",
        "**projects**: 1",
        "**cooperations**: 1",
    ):
        assert figure in text
    assert "800-bed clinic in Samarkand" in text and "sojitz" in text
    assert "Special medical containers" in text and "delivered" in text
    assert "medical education" in text


def test_json_reports_are_exact(diplo: Any, store: str, tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "g.jsonl",
        ORG,
        GRANT | {"amount": {"value": "0.10", "currency": "USD"}},
        GRANT
        | {"grant": "g2", "occurred_on": "2024", "amount": {"value": "0.20", "currency": "USD"}},
    )
    diplo("import", path, "--store", store)
    data = json.loads(
        diplo("report", "partnership", "JP", "UZ", "--format", "json", "--store", store).stdout
    )
    assert data["figures"]["granted USD"] == "0.30"
    grants = data["sections"]["Grants"]
    assert [(g["grant"], g["signed_on"], g["value"]) for g in grants] == [
        ("g2", "2024", "0.20"),
        ("g1", "2025-03-15", "0.10"),
    ]  # 2024 sorts before March 2025


def test_csv_reports_keep_dates_and_amounts_as_recorded(
    diplo: Any, store: str, tmp_path: Path
) -> None:
    path = write_jsonl(tmp_path / "g.jsonl", ORG, GRANT | {"occurred_on": "2025-03~"})
    diplo("import", path, "--store", store)
    result = diplo("report", "grants", "--format", "csv", "--store", store)
    (row,) = list(csv.DictReader(io.StringIO(result.stdout)))
    assert (row["signed_on"], row["value"], row["currency"]) == ("2025-03~", "10000000", "JPY")


@pytest.mark.parametrize("report", ["grants", "equipment", "projects", "meetings", "timeline"])
@pytest.mark.parametrize("output", ["md", "html", "csv", "json"])
def test_every_report_renders_in_every_format(
    diplo: Any, seeded: str, report: str, output: str
) -> None:
    result = diplo("report", report, "--format", output, "--store", seeded)
    assert result.exit_code == 0, result.output
    assert len(result.stdout) > 100


def test_reports_can_be_written_to_a_file(diplo: Any, seeded: str, tmp_path: Path) -> None:
    out = tmp_path / "dossier.md"
    result = diplo("report", "timeline", "--out", str(out), "--store", seeded)
    assert result.exit_code == 0 and "wrote Timeline" in result.stdout
    assert out.read_text().startswith("# Timeline")


def test_a_report_after_deleting_the_views_rebuilds_them(diplo: Any, seeded: str) -> None:
    views = Path(seeded.replace(".db", ".views.db"))
    views.unlink()
    result = diplo("report", "partnership", "JP", "UZ", "--format", "json", "--store", seeded)
    assert json.loads(result.stdout)["figures"]["grants"] == "3"
    assert views.exists()


def test_a_bad_country_in_a_report_is_refused(diplo: Any, seeded: str) -> None:
    result = diplo("report", "partnership", "JP", "XX", "--store", seeded)
    assert result.exit_code == 1 and "B: unknown country 'XX'" in result.stderr


def test_views_update_and_rebuild(diplo: Any, seeded: str) -> None:
    assert (
        "applied 0 events, now at position 23" in diplo("views", "update", "--store", seeded).stdout
    )
    assert "rebuilt from 23 events" in diplo("views", "rebuild", "--store", seeded).stdout


def test_markdown_escapes_what_would_break_a_table(diplo: Any, store: str, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "g.jsonl", ORG, GRANT | {"purpose": "Beds | *mattresses*"})
    diplo("import", path, "--store", store)
    text = diplo("report", "grants", "--store", store).stdout
    assert "Beds \\| \\*mattresses\\*" in text


def test_partial_dates_sort_by_their_earliest_day_not_their_text(
    diplo: Any, store: str, tmp_path: Path
) -> None:
    dates = ["2025-01-05", "2025-01?", "2024", "2025"]
    path = write_jsonl(
        tmp_path / "g.jsonl",
        ORG,
        *[GRANT | {"grant": f"g{i}", "occurred_on": d} for i, d in enumerate(dates)],
    )
    diplo("import", path, "--store", store)
    data = json.loads(diplo("report", "grants", "--format", "json", "--store", store).stdout)
    # by earliest day, then latest: text order would give 2024, 2025, 2025-01-05, 2025-01?
    assert [g["signed_on"] for g in data["sections"]["Grants"]] == [
        "2024",
        "2025-01?",
        "2025",
        "2025-01-05",
    ]
