"""Tamper evidence: every alteration of the stored log is detected, named, and exits 3."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from diplo.domain.integrity import chain
from tests.conftest import SEED


@pytest.fixture(autouse=True)
def sealing_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    key = tmp_path / "keys" / "seal.pem"
    monkeypatch.setenv("DIPLO_SEAL_KEY", str(key))
    return key


@pytest.fixture
def seeded(diplo: Any, store: str) -> str:
    assert diplo("import", str(SEED), "--store", store, "--no-views").exit_code == 0
    return store


def tamper(store: str, *statements: str) -> None:
    """What an attacker with the file could do: drop the guards, then edit rows."""
    db = sqlite3.connect(store)
    db.execute("DROP TRIGGER stored_events_no_update")
    db.execute("DROP TRIGGER stored_events_no_delete")
    for statement in statements:
        db.execute(statement)
    db.commit()
    db.close()


def seal(diplo: Any, store: str, tmp_path: Path) -> str:
    checkpoint = str(tmp_path / "checkpoint.json")
    result = diplo("seal", "--out", checkpoint, "--store", store)
    assert result.exit_code == 0, result.output
    return checkpoint


def test_the_store_refuses_update_and_delete(seeded: str) -> None:
    db = sqlite3.connect(seeded)
    for statement in (
        "UPDATE stored_events SET state = x'00' WHERE rowid = 1",
        "DELETE FROM stored_events WHERE rowid = 1",
    ):
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            db.execute(statement)
    db.close()


def test_an_untouched_ledger_verifies(diplo: Any, seeded: str, tmp_path: Path) -> None:
    checkpoint = seal(diplo, seeded, tmp_path)
    result = diplo("verify", "--store", seeded)
    assert result.exit_code == 0 and "23 events; hash chain intact" in result.stdout
    assert diplo("verify", "--checkpoint", checkpoint, "--store", seeded).exit_code == 0


def test_a_ledger_that_grew_still_extends_its_checkpoint(
    diplo: Any, seeded: str, tmp_path: Path
) -> None:
    checkpoint = seal(diplo, seeded, tmp_path)
    diplo(
        "record",
        "CommitmentStated",
        "--by",
        "UZ",
        "--statement",
        "More",
        "--occurred-on",
        "2026",
        "--store",
        seeded,
    )
    result = diplo("verify", "--checkpoint", checkpoint, "--store", seeded)
    assert result.exit_code == 0, result.output
    assert "consistency proof verified" in result.stdout


@pytest.mark.parametrize(
    ("statements", "named"),
    [
        (
            [
                "UPDATE stored_events SET state = CAST(replace(CAST(state AS TEXT), "
                "'Sojitz', 'Sojitx') AS BLOB) WHERE rowid = 4"
            ],
            "position 4: the stored event does not match",
        ),
        (["DELETE FROM stored_events WHERE rowid = 7"], "position 7: missing"),
        (
            [
                "UPDATE stored_events SET rowid = -1 WHERE rowid = 9",
                "UPDATE stored_events SET rowid = 9 WHERE rowid = 10",
                "UPDATE stored_events SET rowid = 10 WHERE rowid = -1",
            ],
            "position 9: the stored event",
        ),
    ],
    ids=["flipped byte", "deleted row", "reordered rows"],
)
def test_tampering_is_detected_and_named(
    diplo: Any, seeded: str, statements: list[str], named: str
) -> None:
    tamper(seeded, *statements)
    result = diplo("verify", "--store", seeded)
    assert result.exit_code == 3, result.output
    assert named in result.stderr


def test_a_truncated_log_is_caught_by_the_checkpoint(
    diplo: Any, seeded: str, tmp_path: Path
) -> None:
    checkpoint = seal(diplo, seeded, tmp_path)
    tamper(seeded, "DELETE FROM stored_events WHERE rowid > 20")
    result = diplo("verify", "--checkpoint", checkpoint, "--store", seeded)
    assert result.exit_code == 3
    assert "position 21: missing — the checkpoint sealed 23 events, the store holds 20" in (
        result.stderr
    )


def test_a_rewrite_that_recomputes_the_chain_is_caught_by_the_checkpoint(
    diplo: Any, seeded: str, tmp_path: Path
) -> None:
    checkpoint = seal(diplo, seeded, tmp_path)
    tamper(
        seeded,
        "UPDATE stored_events SET state = CAST(replace(CAST(state AS TEXT), "
        "'800', '900') AS BLOB) WHERE rowid = 21",
    )
    db = sqlite3.connect(seeded)  # the forger recomputes every link, so the chain is intact
    link = chain.GENESIS
    for rowid, oid, version, topic, state, key, content in db.execute(
        "SELECT rowid, originator_id, originator_version, topic, state, key, content_hash "
        "FROM stored_events ORDER BY rowid"
    ).fetchall():
        leaf = chain.leaf(chain.V2, rowid, oid, version, topic, key, content, state)
        link = chain.next_link(link, leaf)
        db.execute("UPDATE stored_events SET chain = ? WHERE rowid = ?", (link.hex(), rowid))
    db.commit()
    db.close()
    assert diplo("verify", "--store", seeded).exit_code == 0  # alone, the chain cannot tell
    result = diplo("verify", "--checkpoint", checkpoint, "--store", seeded)
    assert result.exit_code == 3
    assert "positions 1–23: no longer match the checkpoint" in result.stderr


def test_a_forged_or_foreign_checkpoint_is_refused(
    diplo: Any, seeded: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    checkpoint = Path(seal(diplo, seeded, tmp_path))
    pinned = tmp_path / "auditor.pem"
    pinned.write_text(diplo("seal", "--export-key").stdout)
    assert (
        diplo(
            "verify",
            "--checkpoint",
            str(checkpoint),
            "--public-key",
            str(pinned),
            "--store",
            seeded,
        ).exit_code
        == 0
    )
    lines = checkpoint.read_text().split("\n")
    checkpoint.write_text("\n".join([lines[0], "5", *lines[2:]]))  # claim a smaller log
    result = diplo("verify", "--checkpoint", str(checkpoint), "--store", seeded)
    assert result.exit_code == 3 and "signature does not hold" in result.stderr
    monkeypatch.setenv("DIPLO_SEAL_KEY", str(tmp_path / "other.pem"))
    foreign = seal(diplo, seeded, tmp_path)
    result = diplo(
        "verify", "--checkpoint", foreign, "--public-key", str(pinned), "--store", seeded
    )
    assert result.exit_code == 3 and "pinned key" in result.stderr


def test_checkpoints_of_one_history_at_several_sizes_verify_together(
    diplo: Any, seeded: str, tmp_path: Path
) -> None:
    first = tmp_path / "first"
    assert diplo("seal", "--out", str(first), "--store", seeded).exit_code == 0
    more = ("record", "CommitmentStated", "--by", "UZ", "--statement", "More")
    assert diplo(*more, "--occurred-on", "2026", "--store", seeded).exit_code == 0
    second = tmp_path / "second"
    assert diplo("seal", "--out", str(second), "--store", seeded).exit_code == 0
    result = diplo(
        "verify", "--checkpoint", str(first), "--checkpoint", str(second), "--store", seeded
    )
    assert result.exit_code == 0, result.output
    assert first.read_text().split("\n")[0] == second.read_text().split("\n")[0]  # one origin


def test_an_inclusion_proof_is_checked_without_the_store(
    diplo: Any, seeded: str, tmp_path: Path
) -> None:
    checkpoint = seal(diplo, seeded, tmp_path)
    proof = tmp_path / "proof.json"
    proof.write_text(
        diplo(
            "prove",
            "uza-676233/project/samarkand-clinic",
            "--checkpoint",
            checkpoint,
            "--store",
            seeded,
        ).stdout
    )
    Path(seeded).unlink()
    result = diplo("verify-proof", str(proof))
    assert result.exit_code == 0, result.output
    assert "included at position 21 of 23" in result.stdout
    data = json.loads(proof.read_text())
    data["leaf"] = data["leaf"].replace(b"800".hex(), b"900".hex())
    proof.write_text(json.dumps(data))
    assert diplo("verify-proof", str(proof)).exit_code == 3


def test_the_sealing_key_is_private_to_its_owner(
    diplo: Any, seeded: str, tmp_path: Path, sealing_key: Path
) -> None:
    seal(diplo, seeded, tmp_path)
    assert sealing_key.stat().st_mode & 0o777 == 0o600


GRANT_KEY = "uza-676233/project/samarkand-clinic"
ALREADY_REFUSED: dict[str, Any] = {  # malformed proofs 0.1 refused already: they stay refused
    "not JSON": "{oops",
    "not an object": "[1, 2]",
    "missing fields": json.dumps({"key": GRANT_KEY}),
    "unknown field": {"extra": 1},
    "position as a boolean": {"position": True},
    "position zero": {"position": 0},
    "negative size": {"size": -1},
    "absurd size": {"size": 2**80},
    "position beyond size": {"position": 24},
    "leaf with spaces": {"leaf": "ab cd"},
    "leaf not a diplo leaf": {"leaf": b"hello".hex()},
    "root too short": {"root": "ab"},
    "path absurdly long": {"path": ["00" * 32] * 65},
    "not UTF-8": b"\xff\xfe{",
}


@pytest.mark.parametrize("damage", ALREADY_REFUSED.values(), ids=ALREADY_REFUSED.keys())
def test_a_malformed_proof_is_refused_in_one_line(
    diplo: Any, seeded: str, tmp_path: Path, damage: Any
) -> None:
    proof = json.loads(diplo("prove", GRANT_KEY, "--store", seeded).stdout)
    content = json.dumps(proof | damage) if isinstance(damage, dict) else damage
    path = tmp_path / "proof.json"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    result = diplo("verify-proof", str(path))
    assert result.exit_code == 3, result.output
    assert result.stderr.startswith("error: proof:") and len(result.stderr.splitlines()) == 1


def test_a_proof_whose_leaf_was_rewritten_with_another_key_is_refused(
    diplo: Any, seeded: str, tmp_path: Path
) -> None:
    proof = json.loads(diplo("prove", GRANT_KEY, "--store", seeded).stdout)
    leaf = bytes.fromhex(proof["leaf"]).replace(GRANT_KEY.encode(), b"x" * len(GRANT_KEY), 1)
    path = tmp_path / "proof.json"
    path.write_text(json.dumps(proof | {"leaf": leaf.hex(), "key": "x" * len(GRANT_KEY)}))
    assert diplo("verify-proof", str(path)).exit_code == 3


def test_a_proof_against_a_checkpoint_of_more_events_than_the_store_holds_is_refused(
    diplo: Any, seeded: str, tmp_path: Path
) -> None:
    checkpoint = seal(diplo, seeded, tmp_path)
    tamper(seeded, "DELETE FROM stored_events WHERE rowid > 20")
    result = diplo("prove", "uza-676233/org/gov-jp", "--checkpoint", checkpoint, "--store", seeded)
    assert result.exit_code == 3
    assert "no longer holds what it sealed at size 23" in result.stderr


def test_a_proof_keeps_no_leaf_in_memory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The audit path and the root are built as the leaves stream past: proving an event of a
    ledger ten times larger takes no more memory (every leaf kept: about 100 bytes each). The
    log is read 500 rows at a time here, so that a page is not what the test measures."""
    import subprocess
    import tracemalloc

    from diplo.domain.integrity import verify
    from diplo.domain.integrity.proof import prove
    from diplo.domain.store.opening import open_ledger
    from tests.generate import generate
    from tests.test_memory import DIPLO

    monkeypatch.setattr(verify, "PAGE", 500)
    peaks = {}
    for events in (1_000, 10_000):
        source, store = tmp_path / f"{events}.jsonl", str(tmp_path / f"ledger-{events}.db")
        source.write_text("".join(json.dumps(body) + "\n" for body in generate(events)))
        subprocess.run([str(DIPLO), "init", "--store", store], check=True, capture_output=True)
        subprocess.run(
            [str(DIPLO), "import", str(source), "--store", store, "--no-views"],
            check=True,
            capture_output=True,
        )
        ledger = open_ledger(store)
        try:
            tracemalloc.start()
            proof = prove(ledger, "bench-5")
            peaks[events] = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        finally:
            ledger.close()
        assert proof.size == events and proof.position == 6
    assert peaks[10_000] - peaks[1_000] < 200_000, peaks  # holding 9,000 more leaves: ~900 KB
