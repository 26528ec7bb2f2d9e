"""`diplo init`, `record` and `import` as a clerk uses them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import GRANT, ORG, SEED, store_digest, write_jsonl


def test_init_creates_an_empty_ledger(diplo: Any, tmp_path: Path) -> None:
    store = str(tmp_path / "new.db")
    result = diplo("init", "--store", store)
    assert result.exit_code == 0, result.output
    assert "0 events" in result.output
    assert Path(store).exists()


def test_commands_other_than_init_refuse_a_missing_ledger(diplo: Any, tmp_path: Path) -> None:
    result = diplo("log", "--store", str(tmp_path / "absent.db"))
    assert result.exit_code == 1
    assert "no ledger at" in result.output and "diplo init" in result.output
    assert not (tmp_path / "absent.db").exists()


def test_the_store_can_be_named_by_environment(
    diplo: Any, store: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DIPLO_STORE", store)
    assert (
        diplo(
            "record",
            "OrganizationRegistered",
            "--org",
            "moh-uz",
            "--name",
            "MoH",
            "--country",
            "UZ",
            "--kind",
            "ministry",
        ).exit_code
        == 0
    )
    assert "1 event\n" in diplo("log").output or "1 event " in diplo("log").output


def test_record_takes_one_option_per_field(diplo: Any, store: str) -> None:
    result = diplo(
        "record",
        "OrganizationRegistered",
        "--store",
        store,
        "--org",
        "moh-uz",
        "--name",
        "Ministry of Health",
        "--country",
        "UZ",
        "--kind",
        "ministry",
        "--aliases",
        "MoH",
        "--aliases",
        "Minzdrav",
    )
    assert result.exit_code == 0, result.output
    assert "at position 1" in result.output
    result = diplo(
        "record",
        "ClinicPlanned",
        "--store",
        store,
        "--project",
        "c1",
        "--name",
        "Clinic",
        "--country",
        "UZ",
        "--beds",
        "800",
        "--financing",
        "ppp",
        "--partners",
        "moh-uz",
        "--occurred-on",
        "2025",
        "--sources",
        '{"publisher": "UzA", "title": "An article"}',
    )
    assert result.exit_code == 0, result.output
    exported = [json.loads(line) for line in diplo("export", "--store", store).output.splitlines()]
    assert exported[0]["aliases"] == ["MoH", "Minzdrav"] and exported[0]["country"] == "UZ"
    assert exported[1]["beds"] == 800 and exported[1]["sources"][0]["publisher"] == "UzA"


def test_record_accepts_the_whole_body_as_json(diplo: Any, store: str) -> None:
    diplo("record", "OrganizationRegistered", "--store", store, "--json", json.dumps(ORG))
    result = diplo("record", "GrantAgreementSigned", "--store", store, "--json", json.dumps(GRANT))
    assert result.exit_code == 0, result.output
    again = diplo("record", "GrantAgreementSigned", "--store", store, "--json", json.dumps(GRANT))
    assert again.exit_code == 0 and "already recorded" in again.output


def test_record_help_lists_the_fields_of_a_type(diplo: Any) -> None:
    result = diplo("record", "GrantAgreementSigned", "--help")
    assert result.exit_code == 0
    assert "--recipient" in result.output and "required" in result.output


def test_import_prints_new_and_skipped_counts(diplo: Any, store: str, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "a.jsonl", ORG, GRANT)
    first = diplo("import", path, "--store", store)
    assert first.exit_code == 0, first.output
    assert "2 new, 0 skipped" in first.output
    second = diplo("import", path, path, "--store", store)
    assert "0 new, 4 skipped" in second.output


def test_import_reads_standard_input(diplo: Any, store: str) -> None:
    lines = json.dumps(ORG) + "\n"
    result = diplo("import", "-", "--store", store, input=lines)
    assert result.exit_code == 0 and "1 new" in result.output


def test_a_dry_run_leaves_the_store_unchanged(diplo: Any, store: str) -> None:
    before = store_digest(store)
    result = diplo("import", str(SEED), "--dry-run", "--store", store)
    assert result.exit_code == 0, result.output
    assert "would record 23 new" in result.output
    assert store_digest(store) == before


BAD_LINES: list[tuple[str, bytes, str]] = [
    ("invalid JSON", b'{"type": "OrganizationRegistered",', "invalid JSON"),
    ("unknown type", b'{"type": "GrantSigned"}', "type: unknown event type 'GrantSigned'"),
    (
        "missing field",
        json.dumps({k: v for k, v in GRANT.items() if k != "donor"}).encode(),
        "donor: required field is missing",
    ),
    ("extra field", json.dumps(GRANT | {"budget": 1}).encode(), "budget: unknown field"),
    (
        "bad country",
        json.dumps(ORG | {"org": "x", "country": "XZ"}).encode(),
        "country: unknown country 'XZ'",
    ),
    (
        "bad region",
        json.dumps(
            {
                "type": "EquipmentDelivered",
                "delivery": "d",
                "donor": "JP",
                "recipient": "UZ",
                "items": [{"description": "x"}],
                "region": "UZ-99",
                "occurred_on": "2025",
            }
        ).encode(),
        "region: unknown region",
    ),
    (
        "bad currency",
        json.dumps(GRANT | {"amount": {"value": "1", "currency": "ABC"}}).encode(),
        "amount.currency: unknown currency 'ABC'",
    ),
    ("bad sector", json.dumps(GRANT | {"sector": "00000"}).encode(), "sector: unknown sector"),
    (
        "bad date",
        json.dumps(GRANT | {"occurred_on": "2024-02-30"}).encode(),
        "occurred_on: invalid date '2024-02-30'",
    ),
    (
        "negative amount",
        json.dumps(GRANT | {"amount": {"value": "-1", "currency": "JPY"}}).encode(),
        "amount.value: expected a non-negative decimal",
    ),
    (
        "float amount",
        json.dumps(GRANT | {"amount": {"value": 1.5, "currency": "JPY"}}).encode(),
        "amount.value: expected a decimal string",
    ),
    (
        "unknown reference",
        json.dumps(GRANT | {"recipient": "moh-uzb"}).encode(),
        "recipient: unknown organization 'moh-uzb'; did you mean 'moh-uz'",
    ),
    (
        "over-long text",
        json.dumps(GRANT | {"purpose": "p" * 4001}).encode(),
        "purpose: expected at most 4000 characters",
    ),
    ("non-UTF-8", b'{"type": "OrganizationRegistered", "name": "caf\xe9"}', "not valid UTF-8"),
]


@pytest.mark.parametrize(("case", "line", "message"), BAD_LINES, ids=[c[0] for c in BAD_LINES])
def test_bad_input_is_refused_with_file_line_and_field_and_the_store_is_untouched(
    diplo: Any, store: str, tmp_path: Path, case: str, line: bytes, message: str
) -> None:
    diplo("record", "OrganizationRegistered", "--store", store, "--json", json.dumps(ORG))
    path = tmp_path / "bad.jsonl"
    path.write_bytes(json.dumps(ORG | {"org": "ok", "name": "OK"}).encode() + b"\n" + line + b"\n")
    before = store_digest(store)
    result = diplo("import", str(path), "--store", store)
    assert result.exit_code == 1, result.output
    assert f"{path}:2: " in result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert store_digest(store) == before


def test_a_missing_file_is_a_clear_error(diplo: Any, store: str) -> None:
    result = diplo("import", "/nonexistent/events.jsonl", "--store", store)
    assert result.exit_code == 1
    assert "cannot read file" in result.stderr


def test_record_refuses_an_unknown_field_option(diplo: Any, store: str) -> None:
    result = diplo("record", "OrganizationRegistered", "--store", store, "--colour", "red")
    assert result.exit_code == 1
    assert "has no field 'colour'" in result.stderr
