"""Witnesses: a log operator who shows two parties two histories (a split view) signs both
with the log's key, so the log's signature alone cannot tell. Independent witnesses each
hold the log to the one history they have seen: none cosigns a checkpoint that does not
extend its last, an auditor requires a quorum of pinned witnesses, and two signed
checkpoints of one log that disagree at one size are equivocation (exit 3)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.redteam.conftest import one_line_error

MORE = ("record", "CommitmentStated", "--by", "UZ", "--occurred-on", "2026", "--statement")


@pytest.fixture
def world(diplo: Any, seeded: str, tmp_path: Path) -> dict[str, Any]:
    """A log, its public key, two witnesses (a, b) and the auditor's file of their keys."""
    log_key = tmp_path / "log.pem"
    log_key.write_text(diplo("seal", "--export-key").stdout)
    keys = []
    for name in ("a", "b"):
        result = diplo(
            "witness", "init", "--name", f"{name}.example/w", "--dir", str(tmp_path / name)
        )
        assert result.exit_code == 0, result.output
        keys.append(result.stdout)
    pinned = tmp_path / "witnesses.txt"
    pinned.write_text("# the auditor's pinned witnesses\n" + "".join(keys))
    return {"store": seeded, "log_key": str(log_key), "witnesses": str(pinned), "dir": tmp_path}


def seal(diplo: Any, store: str, out: Path) -> str:
    assert diplo("seal", "--out", str(out), "--store", store).exit_code == 0
    return str(out)


def cosign(diplo: Any, world: dict[str, Any], who: str, checkpoint: str, store: str) -> Any:
    out = str(world["dir"] / f"{Path(checkpoint).name}.{who}")
    result = diplo(
        "witness", "cosign", checkpoint, "--store", store, "--log-key", world["log_key"],
        "--dir", str(world["dir"] / who), "--out", out,
    )  # fmt: skip
    return result, out


def fork(diplo: Any, store: str, tmp_path: Path) -> tuple[str, str]:
    """Two histories with a common past: each gets one different event."""
    other = str(tmp_path / "fork.db")
    shutil.copy(store, other)
    assert diplo(*MORE, "Shown to witness a", "--store", store).exit_code == 0
    assert diplo(*MORE, "Shown to witness b", "--store", other).exit_code == 0
    return store, other


def test_a_split_view_is_caught(diplo: Any, world: dict[str, Any], tmp_path: Path) -> None:
    seen_by_a, seen_by_b = fork(diplo, world["store"], tmp_path)
    to_a = seal(diplo, seen_by_a, tmp_path / "to-a")
    to_b = seal(diplo, seen_by_b, tmp_path / "to-b")
    assert cosign(diplo, world, "a", to_a, seen_by_a)[0].exit_code == 0
    assert cosign(diplo, world, "b", to_b, seen_by_b)[0].exit_code == 0
    # Each history gathers one witness only: the auditor's quorum of two is not met.
    cosigned_a = str(tmp_path / "to-a.a")
    result = diplo(
        "verify", "--store", seen_by_a, "--checkpoint", cosigned_a,
        "--witnesses", world["witnesses"], "--quorum", "2",
    )  # fmt: skip
    assert "cosigned by 1 of the 2 witnesses required (missing: b.example/w)" in (
        one_line_error(result)
    )
    # Asked to cosign the other history, each witness refuses: equivocation at one size.
    refused, _ = cosign(diplo, world, "b", to_a, seen_by_a)
    assert "equivocation" in one_line_error(refused)
    # The two signed checkpoints, side by side, are proof that the log equivocated.
    result = diplo(
        "verify", "--store", seen_by_a, "--checkpoint", to_a, "--checkpoint", to_b,
    )  # fmt: skip
    assert "equivocation: to-a and to-b are checkpoints of diplo/" in one_line_error(result)
    assert list((tmp_path / "b" / "evidence").iterdir()), "the witness keeps the evidence"


def test_a_witness_refuses_a_history_that_does_not_extend_its_own(
    diplo: Any, world: dict[str, Any], tmp_path: Path
) -> None:
    seen_by_a, seen_by_b = fork(diplo, world["store"], tmp_path)
    assert (
        cosign(diplo, world, "b", seal(diplo, seen_by_b, tmp_path / "b1"), seen_by_b)[0].exit_code
        == 0
    )
    assert diplo(*MORE, "And more", "--store", seen_by_a).exit_code == 0
    later = seal(diplo, seen_by_a, tmp_path / "a2")
    refused, _ = cosign(diplo, world, "b", later, seen_by_a)
    message = one_line_error(refused)
    assert "does not extend the one this witness cosigned at size 24" in message


def test_a_witness_accepts_an_extension_proven_by_a_request_file(
    diplo: Any, world: dict[str, Any], tmp_path: Path
) -> None:
    """The log sends the witness a consistency proof (tlog-witness add-checkpoint body);
    the witness needs no access to the store."""
    store = world["store"]
    assert cosign(diplo, world, "a", seal(diplo, store, tmp_path / "one"), store)[0].exit_code == 0
    assert diplo(*MORE, "Later", "--store", store).exit_code == 0
    two = seal(diplo, store, tmp_path / "two")
    made = diplo("witness", "consistency", two, "--old", "23", "--store", store)
    assert made.exit_code == 0, made.output
    honest = made.stdout
    assert honest.startswith("old 23\n")
    request, witness = tmp_path / "request", str(tmp_path / "a")
    proof_line = honest.splitlines()[1]
    for forged, refusal in [
        (honest.replace(proof_line, "A" * 43 + "=", 1), "does not extend"),
        (honest.replace("old 23", "old 20", 1), "needs a consistency proof from that size"),
    ]:
        request.write_text(forged)
        refused = diplo("witness", "cosign", str(request), "--dir", witness)
        assert refusal in one_line_error(refused)
    request.write_text(honest)
    result = diplo("witness", "cosign", str(request), "--dir", witness)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(Path(two).read_text().split("\n\n")[0])


def test_a_witness_refuses_a_rollback(diplo: Any, world: dict[str, Any], tmp_path: Path) -> None:
    store = world["store"]
    old = seal(diplo, store, tmp_path / "old")
    assert diplo(*MORE, "Later", "--store", store).exit_code == 0
    new = seal(diplo, store, tmp_path / "new")
    assert cosign(diplo, world, "a", new, store)[0].exit_code == 0
    refused, _ = cosign(diplo, world, "a", old, store)
    assert "a rollback" in one_line_error(refused)


def test_a_witness_refuses_a_checkpoint_not_signed_by_the_log(
    diplo: Any, world: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DIPLO_SEAL_KEY", str(tmp_path / "intruder.pem"))
    forged = seal(diplo, world["store"], tmp_path / "forged")
    refused, _ = cosign(diplo, world, "a", forged, world["store"])
    assert "not signed by the log's key" in one_line_error(refused)


def test_a_forged_cosignature_does_not_count(
    diplo: Any, world: dict[str, Any], tmp_path: Path
) -> None:
    store = world["store"]
    _, by_a = cosign(diplo, world, "a", seal(diplo, store, tmp_path / "cp"), store)
    _, by_both = cosign(diplo, world, "b", by_a, store)
    honest = diplo(
        "verify", "--store", store, "--checkpoint", by_both, "--witnesses", world["witnesses"],
        "--public-key", world["log_key"],
    )  # fmt: skip
    assert honest.exit_code == 0, honest.output
    assert "cosigned by at least 2 pinned witness(es)" in " ".join(honest.stdout.split())
    text = Path(by_a).read_text()
    line = text.splitlines()[-1]
    name, signature = line.rsplit(" ", 1)
    flipped = signature[:20] + ("A" if signature[20] != "A" else "B") + signature[21:]
    Path(by_a).write_text(text.replace(line, f"{name} {flipped}"))
    result = diplo(
        "verify", "--store", store, "--checkpoint", by_a, "--witnesses", world["witnesses"],
        "--quorum", "1",
    )  # fmt: skip
    assert "the cosignature of witness a.example/w does not hold" in one_line_error(result)


def test_a_log_cannot_rename_itself_to_escape_its_history(
    diplo: Any, world: dict[str, Any], tmp_path: Path
) -> None:
    """A new ledger (a new origin) under the same log key would start a fresh history at
    every witness: a witness knows that a key signs one log only."""
    store = world["store"]
    assert cosign(diplo, world, "a", seal(diplo, store, tmp_path / "one"), store)[0].exit_code == 0
    fresh = str(tmp_path / "fresh.db")
    assert diplo("init", "--store", fresh).exit_code == 0
    assert diplo(*MORE, "A new beginning", "--store", fresh).exit_code == 0
    refused, _ = cosign(diplo, world, "a", seal(diplo, fresh, tmp_path / "new-origin"), fresh)
    assert "one key, one log" in one_line_error(refused)
