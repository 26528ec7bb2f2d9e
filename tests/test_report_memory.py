"""`diplo report grants` streams its rows in every format, amounts converted or not, and so does
`diplo report partnership` (its timeline and each event's sources too): peak memory does not grow
with the number of grants, or with a pair's activity."""

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


PAIR_SMALL, PAIR_LARGE = 2_000, 20_000
# Holding 18,000 more events of the pair, with their timeline rows and sources, costs some
# 3 KB each (a list of them took 129 MB for a pair of 33,000 events); streamed, none is held.


def ledger_with_a_busy_pair(tmp_path: Path, grants: int) -> str:
    """A ledger whose JP-UZ partnership lists ``grants`` grants: copies of the example's first
    grant, each with its timeline row and its sources, written into the views."""
    store = ledger_with_grants(tmp_path, grants)
    with sqlite3.connect(views_path(store)) as db:
        for table in ("timeline", "sources"):
            columns = [row[1] for row in db.execute(f'PRAGMA table_info("{table}")')]
            copied = ", ".join("g.key" if c == "key" else f"x.{c}" for c in columns)
            db.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) SELECT {copied} FROM grants g, "
                f"(SELECT * FROM {table} WHERE key = (SELECT key FROM grants ORDER BY rowid "
                "LIMIT 1)) x WHERE g.key LIKE 'copy-%'"
            )
        (pair,) = db.execute("SELECT DISTINCT pair FROM grants").fetchone()
        assert pair == "JP-UZ"
        assert db.execute("SELECT COUNT(*) FROM timeline").fetchone()[0] > grants
    return store


@pytest.fixture(scope="module")
def busy_pairs(tmp_path_factory: pytest.TempPathFactory) -> dict[int, str]:
    return {
        n: ledger_with_a_busy_pair(tmp_path_factory.mktemp(f"pair-{n}"), n)
        for n in (PAIR_SMALL, PAIR_LARGE)
    }


@pytest.mark.parametrize("form", ["json", "md", "html"])
def test_a_partnership_ten_times_as_busy_takes_no_more_memory(
    busy_pairs: dict[int, str], form: str
) -> None:
    assert_flat(
        busy_pairs, ALLOWED_GROWTH_MB, "report", "partnership", "JP", "UZ", "--format", form
    )
