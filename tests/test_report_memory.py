"""`diplo report grants` streams its rows in every format, amounts converted or not: peak memory
does not grow with the number of grants."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

import pytest

from diplo.projections.runner import views_path
from tests.test_memory import DIPLO, assert_flat

pytestmark = pytest.mark.slow  # views of many grants, measuring peak memory

EXAMPLE = Path(__file__).parents[1] / "examples" / "japan-uzbekistan-health.jsonl"
SMALL, LARGE = 20_000, 200_000
# Holding 180,000 more grant rows (dicts of 17 cells) would cost well over 150 MB; a
# streaming report holds a batch of rows at a time.
ALLOWED_GROWTH_MB = 20


def ledger_with_grants(tmp_path: Path, grants: int) -> str:
    """A ledger whose views list ``grants`` grant rows: copies of the example's first grant,
    written into its views (the report reads the views; the ledger stays as imported)."""
    store = str(tmp_path / f"ledger-{grants}.db")
    subprocess.run([str(DIPLO), "init", "--store", store], check=True, capture_output=True)
    subprocess.run(
        [str(DIPLO), "import", str(EXAMPLE), "--store", store], check=True, capture_output=True
    )
    subprocess.run(
        [str(DIPLO), "report", "grants", "--format", "csv", "--store", store],
        check=True,
        capture_output=True,
    )
    with sqlite3.connect(views_path(store)) as db:
        columns = [row[1] for row in db.execute('PRAGMA table_info("grants")')]
        copied = ", ".join(
            f"'copy-' || n.i || '-' || g.{c}" if c in ("key", "grant") else f"g.{c}"
            for c in columns
        )
        db.execute(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :count) "
            f"INSERT INTO grants ({', '.join(columns)}) SELECT {copied} FROM n, "
            "(SELECT * FROM grants ORDER BY rowid LIMIT 1) g",
            {"count": grants - db.execute("SELECT COUNT(*) FROM grants").fetchone()[0]},
        )
        assert db.execute("SELECT COUNT(*) FROM grants").fetchone()[0] == grants
    return store


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> dict[int, str]:
    """A ledger whose views list ``SMALL`` grants, and one with ``LARGE``: made once, read by
    every report below (a report only reads)."""
    return {
        n: ledger_with_grants(tmp_path_factory.mktemp(f"grants-{n}"), n) for n in (SMALL, LARGE)
    }


@pytest.mark.parametrize(
    "options",
    [
        ["--format", "json"],
        ["--format", "csv"],
        ["--format", "md"],
        ["--format", "html"],
        ["--format", "json", "--in", "EUR"],  # each amount converted as its row passes
        ["--format", "html", "--in", "EUR"],
    ],
    ids=" ".join,
)
def test_a_report_of_ten_times_more_grants_takes_no_more_memory(
    stores: dict[int, str], options: list[str]
) -> None:
    assert_flat(stores, ALLOWED_GROWTH_MB, "report", "grants", *options)
