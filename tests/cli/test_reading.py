"""`diplo log`, `show`, `export` and `schema`: what was recorded comes back exactly."""

from __future__ import annotations

import json
import os
import pwd
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SEED


@pytest.fixture
def seeded(diplo: Any, store: str) -> str:
    result = diplo("import", str(SEED), "--store", store)
    assert result.exit_code == 0, result.output
    return store


def log_json(diplo: Any, store: str, *args: str) -> list[dict[str, Any]]:
    result = diplo("log", "--store", store, "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_log_lists_every_event_in_log_order(diplo: Any, seeded: str) -> None:
    rows = log_json(diplo, seeded)
    assert [r["position"] for r in rows] == list(range(1, 24))
    assert rows[0]["event"]["type"] == "OrganizationRegistered"


def test_log_filters_by_type(diplo: Any, seeded: str) -> None:
    rows = log_json(diplo, seeded, "--type", "GrantAgreementSigned")
    assert len(rows) == 3 and {r["type"] for r in rows} == {"GrantAgreementSigned"}


def test_log_filters_by_a_country_reached_through_organisations(diplo: Any, seeded: str) -> None:
    grants = log_json(diplo, seeded, "--country", "UZ", "--type", "GrantAgreementSigned")
    assert len(grants) == 3  # donor JP, recipients are Uzbek hospitals
    assert log_json(diplo, seeded, "--country", "FR") == []


def test_log_filters_by_valid_time(diplo: Any, store: str, tmp_path: Path) -> None:
    lines = [
        {
            "type": "CooperationEstablished",
            "cooperation": f"c{year}",
            "parties": ["JP", "UZ"],
            "field": "health",
            "occurred_on": date,
        }
        for year, date in ((1, "2023-05-01"), (2, "2024"), (3, "2025-01-10"))
    ]
    path = tmp_path / "c.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines))
    diplo("import", str(path), "--store", store)
    since = log_json(diplo, store, "--since", "2024-06")
    assert [r["event"]["cooperation"] for r in since] == ["c2", "c3"]  # 2024 may be after June
    until = log_json(diplo, store, "--until", "2024-01-01")
    assert [r["event"]["cooperation"] for r in until] == ["c1", "c2"]


def test_log_refuses_a_bad_filter(diplo: Any, seeded: str) -> None:
    result = diplo("log", "--store", seeded, "--since", "yesterday")
    assert result.exit_code == 1 and "--since: invalid date" in result.stderr
    assert diplo("log", "--store", seeded, "--type", "Nope").exit_code == 1


def test_log_prints_jsonl_and_a_table(diplo: Any, seeded: str) -> None:
    lines = diplo("log", "--store", seeded, "--format", "jsonl").stdout.splitlines()
    assert len(lines) == 23 and all(json.loads(line)["key"] for line in lines)
    table = diplo("log", "--store", seeded).output
    assert "23 events" in table and "MeetingHeld" in table


def test_show_gives_content_provenance_position_and_hashes(diplo: Any, seeded: str) -> None:
    result = diplo(
        "show", "uza-676233/project/samarkand-clinic", "--store", seeded, "--format", "json"
    )
    assert result.exit_code == 0, result.output
    shown = json.loads(result.stdout)
    assert shown["event"]["beds"] == 800 and shown["event"]["region"] == "UZ-SA"
    assert shown["position"] == 21 and shown["recorded_by"] == pwd.getpwuid(os.getuid()).pw_name
    assert shown["event"]["reported_by"] == "diplo seed"  # what the file says: who reported it
    assert shown["sources"][0]["publisher"].startswith("UzA")
    assert len(shown["content_hash"]) == 64 and len(shown["stored_sha256"]) == 64
    assert shown["status"] == "active" and shown["corrections"] == []
    assert (
        "Samarkand"
        in diplo("show", "uza-676233/project/samarkand-clinic", "--store", seeded).output
    )


def test_show_refuses_an_unknown_key(diplo: Any, seeded: str) -> None:
    result = diplo("show", "nope", "--store", seeded)
    assert result.exit_code == 1 and "no event with key 'nope'" in result.stderr


def test_export_then_import_into_an_empty_ledger_gives_the_same_events(
    diplo: Any, seeded: str, tmp_path: Path
) -> None:
    exported = diplo("export", "--store", seeded).stdout
    path = tmp_path / "export.jsonl"
    path.write_text(exported)
    copy = str(tmp_path / "copy.db")
    diplo("init", "--store", copy)
    assert "23 new" in diplo("import", str(path), "--store", copy).output
    assert diplo("export", "--store", copy).stdout == exported


def test_schema_prints_json_schema_for_one_type_and_for_an_import_line(diplo: Any) -> None:
    one = json.loads(diplo("schema", "GrantAgreementSigned").stdout)
    assert "purpose" in one["required"] and one["x-schema-version"] == 1
    assert one["properties"]["recipient"]["x-refers-to"] == ["country", "org"]
    every = json.loads(diplo("schema").stdout)
    assert every["discriminator"]["propertyName"] == "type"
    assert len(every["oneOf"]) >= 14
    assert diplo("schema", "Nope").exit_code == 1
