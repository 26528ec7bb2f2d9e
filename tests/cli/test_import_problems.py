"""`diplo import` checks the whole input and tells every bad line, in file order, at once."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from diplo.events.errors import REPORTED
from tests.conftest import GRANT, ORG, PERSON, store_digest

MEETING = {
    "type": "MeetingHeld",
    "meeting": "m1",
    "occurred_on": "2025-04-01",
    "participants": ["hatori-takashi"],
    "countries": ["JP", "UZ"],
}


def _file(path: Path, *lines: Any) -> str:
    """One line per item: a dict is written as JSON, bytes as they are."""
    path.write_bytes(
        b"".join((x if isinstance(x, bytes) else json.dumps(x).encode()) + b"\n" for x in lines)
    )
    return str(path)


def _errors(stderr: str) -> list[str]:
    return [line.removeprefix("error: ") for line in stderr.splitlines() if line.strip()]


def test_every_bad_line_is_told_in_file_order_and_nothing_is_written(
    diplo: Any, store: str, tmp_path: Path
) -> None:
    path = _file(
        tmp_path / "bad.jsonl",
        ORG,  # 1 fine
        b"{not json",  # 2 unreadable
        PERSON,  # 3 fine
        GRANT | {"donor": "jp"},  # 4 invalid value
        GRANT | {"grant": "g2", "recipient": "moh-uzb"},  # 5 unknown reference (ledger)
        GRANT,  # 6 fine
        GRANT | {"purpose": "Another purpose"},  # 7 the same grant with other content (ledger)
        MEETING,  # 8 fine
        {"type": "MeetingHeld", "meeting": "m2"},  # 9 required fields missing
    )
    before = store_digest(store)
    result = diplo("import", path, "--store", store)
    assert result.exit_code == 1, result.output
    told = _errors(result.stderr)
    lines = [int(re.match(rf"{re.escape(path)}:(\d+): ", e)[1]) for e in told]  # type: ignore[index]
    assert lines == sorted(lines)
    assert sorted(set(lines)) == [2, 4, 5, 7, 9]
    assert f"{path}:2: invalid JSON" in told[0]
    assert any(e.startswith(f"{path}:4: donor: ") for e in told)
    assert any(e.startswith(f"{path}:5: recipient: unknown") for e in told)
    assert any(e.startswith(f"{path}:7: grant: ") and "purpose" in e for e in told)
    assert any(e.startswith(f"{path}:9: occurred_on: ") for e in told)
    assert store_digest(store) == before
    assert "recorded" not in result.stdout


def test_a_dry_run_tells_the_same_problems(diplo: Any, store: str, tmp_path: Path) -> None:
    path = _file(tmp_path / "bad.jsonl", ORG, GRANT | {"donor": "jp"}, b"[]", GRANT)
    real = diplo("import", path, "--store", store)
    dry = diplo("import", path, "--store", store, "--dry-run")
    assert real.exit_code == dry.exit_code == 1
    assert _errors(dry.stderr) == _errors(real.stderr)
    assert [e.split(": ")[0] for e in _errors(dry.stderr)] == [f"{path}:2", f"{path}:3"]


def test_problems_are_ordered_across_files_as_given(diplo: Any, store: str, tmp_path: Path) -> None:
    second = _file(tmp_path / "b.jsonl", GRANT | {"recipient": "nowhere"})
    first = _file(tmp_path / "a.jsonl", ORG, b"[]")
    result = diplo("import", second, first, "--store", store)
    assert result.exit_code == 1
    assert [e.split(": ")[0] for e in _errors(result.stderr)] == [f"{second}:1", f"{first}:2"]


def test_only_the_first_problems_are_told_then_how_many_more(
    diplo: Any, store: str, tmp_path: Path
) -> None:
    bad = [ORG | {"org": f"bad-{n}", "country": "uz"} for n in range(REPORTED + 25)]
    path = _file(tmp_path / "many.jsonl", ORG, *bad)
    result = diplo("import", path, "--store", store)
    told = _errors(result.stderr)
    assert result.exit_code == 1
    assert len(told) == REPORTED + 1
    assert told[0].startswith(f"{path}:2: country: ")
    assert told[REPORTED - 1].startswith(f"{path}:{REPORTED + 1}: ")
    assert told[-1] == "… and 25 more problems"


def test_an_overlong_line_is_skipped_and_the_lines_after_it_checked(
    diplo: Any, store: str, tmp_path: Path
) -> None:
    huge = json.dumps(ORG | {"name": "a" * (1 << 21)}).encode()
    path = _file(tmp_path / "huge.jsonl", huge, GRANT | {"donor": "jp"})
    result = diplo("import", path, "--store", store)
    told = _errors(result.stderr)
    assert told[0] == f"{path}:1: line is longer than 1 MiB; one event per line"
    assert told[1].startswith(f"{path}:2: donor: ")
