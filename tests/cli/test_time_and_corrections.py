"""An auditor's questions: what did the ledger say then, what had happened by then, who changed
what and why. Events are recorded out of the order in which they happened."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import GRANT, ORG, SEED, store_digest, write_jsonl


def grant(name: str, day: str, value: str) -> dict[str, Any]:
    return GRANT | {
        "grant": name,
        "key": name,
        "occurred_on": day,
        "amount": {"value": value, "currency": "USD"},
    }


@pytest.fixture
def history(diplo: Any, store: str, tmp_path: Path) -> dict[str, str]:
    """Recorded in three sittings, each about earlier events than the last."""
    moments = {}
    sittings = [
        ("first", [ORG, grant("late", "2025-06-01", "100")]),
        ("second", [grant("early", "2023-02-01", "10"), grant("vague", "2024", "1")]),
    ]
    for name, bodies in sittings:
        assert (
            diplo(
                "import", write_jsonl(tmp_path / f"{name}.jsonl", *bodies), "--store", store
            ).exit_code
            == 0
        )
        moments[name] = datetime.now(UTC).isoformat()
        time.sleep(0.01)
    assert (
        diplo(
            "correct",
            "late",
            "--set",
            'amount={"value": "150", "currency": "USD"}',
            "--reason",
            "misread",
            "--store",
            store,
        ).exit_code
        == 0
    )
    return moments


def log_keys(diplo: Any, store: str, *args: str) -> list[str]:
    result = diplo("log", "--format", "json", "--store", store, *args)
    assert result.exit_code == 0, result.output
    return [row["key"] for row in json.loads(result.stdout)]


def funding(diplo: Any, store: str, *args: str) -> dict[str, str]:
    result = diplo("report", "partnership", "JP", "UZ", "--format", "json", "--store", store, *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["figures"]  # type: ignore[no-any-return]


def test_as_of_a_position_hides_what_was_recorded_later(
    diplo: Any, store: str, history: dict[str, str]
) -> None:
    assert log_keys(diplo, store, "--as-of", "2")[1:] == ["late"]
    figures = funding(diplo, store, "--as-of", "2")
    assert (figures["grants"], figures["granted USD"], figures["as of position"]) == (
        "1",
        "100",
        "2",
    )  # the correction, recorded later, is not applied


def test_as_of_a_timestamp_is_what_the_ledger_held_then(
    diplo: Any, store: str, history: dict[str, str]
) -> None:
    assert log_keys(diplo, store, "--as-of", history["first"])[1:] == ["late"]
    assert funding(diplo, store, "--as-of", history["second"])["granted USD"] == "111"
    assert funding(diplo, store)["granted USD"] == "161"  # now: corrected 150 + 10 + 1


def test_export_as_of_reimports_as_the_past_ledger(
    diplo: Any, store: str, history: dict[str, str]
) -> None:
    lines = diplo("export", "--as-of", history["first"], "--store", store).stdout.splitlines()
    assert [json.loads(line)["type"] for line in lines] == [
        "OrganizationRegistered",
        "GrantAgreementSigned",
    ]
    assert diplo("export", "--as-of", "1999-01-01T00:00:00", "--store", store).stdout == ""


def test_valid_at_shows_what_had_happened_and_flags_uncertain_dates(
    diplo: Any, store: str, history: dict[str, str]
) -> None:
    rows = json.loads(
        diplo("log", "--valid-at", "2024-06-30", "--format", "json", "--store", store).stdout
    )
    assert [(r["key"], r["uncertain_date"]) for r in rows] == [("early", False), ("vague", True)]
    figures = funding(diplo, store, "--valid-at", "2024-06-30")
    assert figures["granted USD"] == "10"  # "2024" may be after June 30: left out, and said so
    assert figures["left out: may have happened by then (uncertain dates)"] == "1"
    assert funding(diplo, store, "--valid-at", "2024")["granted USD"] == "11"


def test_transaction_time_and_valid_time_combine(
    diplo: Any, store: str, history: dict[str, str]
) -> None:
    figures = funding(diplo, store, "--as-of", history["first"], "--valid-at", "2024")
    assert figures["grants"] == "0"  # then, the ledger knew only of a 2025 grant


def test_views_rebuild_as_of_then_update_catches_up(
    diplo: Any, store: str, history: dict[str, str]
) -> None:
    assert (
        "rebuilt from 2 events"
        in diplo("views", "rebuild", "--as-of", "2", "--store", store).stdout
    )
    assert "applied 3 events" in diplo("views", "update", "--store", store).stdout


def test_views_of_the_past_caught_up_no_longer_say_they_show_the_past(
    diplo: Any, store: str, history: dict[str, str]
) -> None:
    """`views rebuild --as-of 2` makes views that say so in every report built from them as
    they are; a report catches them up first, and then they show the whole ledger: saying
    "as of position 2" would misstate it."""
    diplo("views", "rebuild", "--as-of", "2", "--store", store)
    assert funding(diplo, store, "--as-of", "2")["as of position"] == "2"
    figures = funding(diplo, store)  # caught up on the way
    assert "as of position" not in figures
    assert "applied 0 events" in diplo("views", "update", "--store", store).stdout
    diplo("views", "rebuild", "--store", store)
    assert funding(diplo, store) == figures  # as the views of the whole ledger say


def test_a_bad_as_of_is_refused(diplo: Any, store: str) -> None:
    result = diplo("log", "--as-of", "last tuesday", "--store", store)
    assert result.exit_code == 1 and "--as-of: expected a log position" in result.stderr


def test_show_gives_the_original_and_every_correction(
    diplo: Any, store: str, history: dict[str, str]
) -> None:
    diplo("retract", "late", "--reason", "never signed", "--store", store)
    shown = json.loads(diplo("show", "late", "--format", "json", "--store", store).stdout)
    assert shown["event"]["amount"]["value"] == "100"  # the original, unaltered
    assert shown["status"] == "retracted"
    assert [(c["type"], c["reason"]) for c in shown["corrections"]] == [
        ("EventCorrected", "misread"),
        ("EventRetracted", "never signed"),
    ]
    assert shown["corrections"][0]["changes"] == {"amount": {"value": "150", "currency": "USD"}}
    assert all(c["recorded_by"] and c["recorded_at"] for c in shown["corrections"])
    assert funding(diplo, store)["granted USD"] == "11"  # a retracted grant leaves the totals


@pytest.mark.parametrize(
    ("sets", "message"),
    [
        (["colour=red"], "has no field 'colour'"),
        (["amount=12"], "changes.amount"),
        (["occurred_on=2024-02-30"], "invalid date"),
        (["recipient=nobody"], "recipient: unknown"),
        (["purpose"], "expected FIELD=VALUE"),
    ],
)
def test_a_bad_correction_is_refused_and_writes_nothing(
    diplo: Any, store: str, history: dict[str, str], sets: list[str], message: str
) -> None:
    before = store_digest(store)
    args = [a for s in sets for a in ("--set", s)]
    result = diplo("correct", "late", *args, "--reason", "r", "--store", store)
    assert result.exit_code == 1, result.output
    assert message in result.stderr
    assert store_digest(store) == before


def test_retracting_twice_is_refused(diplo: Any, store: str, history: dict[str, str]) -> None:
    assert diplo("retract", "early", "--reason", "dup", "--store", store).exit_code == 0
    result = diplo("retract", "early", "--reason", "again", "--store", store)
    assert result.exit_code == 1 and "once retracted stays retracted" in result.stderr


def test_the_audit_of_an_entity_lists_its_events_sources_and_corrections(
    diplo: Any, store: str, history: dict[str, str]
) -> None:
    trail = json.loads(diplo("audit", "moh-uz", "--format", "json", "--store", store).stdout)
    assert [e["key"] for e in trail][1:] == ["late", "early", "vague"]
    late = trail[1]
    assert [c["reason"] for c in late["corrections"]] == ["misread"]
    assert late["recorded_by"] and late["recorded_at"]
    assert [
        e["key"]
        for e in json.loads(diplo("audit", "late", "--format", "json", "--store", store).stdout)
    ] == ["late"]


def test_the_audit_of_a_pair_and_the_unsourced_and_uncertain(diplo: Any, store: str) -> None:
    diplo("import", str(SEED), "--store", store)
    pair = json.loads(diplo("audit", "JP-UZ", "--format", "json", "--store", store).stdout)
    assert {e["type"] for e in pair} >= {"MeetingHeld", "GrantAgreementSigned", "ClinicPlanned"}
    assert all(e["sources"] for e in pair)
    diplo(
        "record",
        "CommitmentStated",
        "--by",
        "JP",
        "--statement",
        "Soon",
        "--occurred-on",
        "2026-01-10",
        "--store",
        store,
    )
    flagged = json.loads(diplo("audit", "--format", "json", "--store", store).stdout)
    unsourced = [e for e in flagged if not e["sources"]]
    assert [e["summary"] for e in unsourced] == ["JP: Soon"]
    assert len(flagged) == 12  # 11 seed activities dated only "2025?", and the unsourced one
    assert "NO SOURCE" in diplo("audit", "--store", store).output
