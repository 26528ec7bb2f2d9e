"""Hole 8 (verify): `verify --checkpoint` without `--public-key` accepted a checkpoint signed by
any key, even with the operator's key configured; a `--public-key` file that held no key read
as "bad signature". Now the configured key is pinned by default, and a file that is not a
public key is a usage error (exit 2) that says what was expected."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.redteam.conftest import one_line_error

FIXTURE = Path(__file__).parents[1] / "fixtures" / "ledger-0.1"


def seal_with(diplo: Any, store: str, key: Path, out: Path, monkeypatch: Any) -> Path:
    with monkeypatch.context() as scoped:
        scoped.setenv("DIPLO_SEAL_KEY", str(key))
        assert diplo("seal", "--out", str(out), "--store", store).exit_code == 0
    return out


def test_a_checkpoint_signed_by_another_key_is_refused_by_the_configured_key(
    diplo: Any, seeded: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert diplo("seal", "--store", seeded).exit_code == 0  # the operator's key now exists
    forged = seal_with(diplo, seeded, tmp_path / "intruder.pem", tmp_path / "cp", monkeypatch)
    message = one_line_error(diplo("verify", "--checkpoint", str(forged), "--store", seeded))
    assert "not signed by the pinned key" in message


def test_a_0_1_checkpoint_signed_by_another_key_is_refused_by_the_configured_key(
    diplo: Any, tmp_path: Path, sealing_key: Path
) -> None:
    """The 0.1 format carries its own key: it used to be checked against that key only."""
    for name in ("ledger.db", "checkpoint.json"):
        shutil.copy(FIXTURE / name, tmp_path / name)
    store = str(tmp_path / "ledger.db")
    assert diplo("seal", "--export-key").exit_code == 0  # creates the operator's own key
    result = diplo("verify", "--checkpoint", str(tmp_path / "checkpoint.json"), "--store", store)
    assert "pinned key" in one_line_error(result)


@pytest.mark.parametrize(
    "content",
    [
        "hello\n",
        "-----BEGIN PUBLIC KEY-----\nnot base64\n-----END PUBLIC KEY-----\n",
        "",
    ],
    ids=["text", "broken PEM", "empty"],
)
def test_a_public_key_file_that_holds_no_key_is_a_usage_error(
    diplo: Any, seeded: str, tmp_path: Path, content: str
) -> None:
    checkpoint = tmp_path / "cp"
    assert diplo("seal", "--out", str(checkpoint), "--store", seeded).exit_code == 0
    bogus = tmp_path / "bogus.pem"
    bogus.write_text(content)
    result = diplo(
        "verify", "--checkpoint", str(checkpoint), "--public-key", str(bogus), "--store", seeded
    )
    assert result.exit_code == 2, result.output
    assert "is not an Ed25519 public key" in result.output


def test_a_private_key_given_as_the_public_key_is_a_usage_error(
    diplo: Any, seeded: str, tmp_path: Path, sealing_key: Path
) -> None:
    checkpoint = tmp_path / "cp"
    assert diplo("seal", "--out", str(checkpoint), "--store", seeded).exit_code == 0
    result = diplo(
        "verify", "--checkpoint", str(checkpoint), "--public-key", str(sealing_key),
        "--store", seeded,
    )  # fmt: skip
    assert result.exit_code == 2 and "is a private key" in result.output


def test_a_note_checkpoint_with_no_key_to_check_it_is_a_usage_error(
    diplo: Any, seeded: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    checkpoint = tmp_path / "cp"
    assert diplo("seal", "--out", str(checkpoint), "--store", seeded).exit_code == 0
    monkeypatch.setenv("DIPLO_SEAL_KEY", str(tmp_path / "nowhere.pem"))
    result = diplo("verify", "--checkpoint", str(checkpoint), "--store", seeded)
    assert result.exit_code == 2 and "give the log's public key" in result.output


def test_the_log_key_may_be_pinned_as_a_vkey(diplo: Any, seeded: str, tmp_path: Path) -> None:
    import base64

    from cryptography.hazmat.primitives import serialization

    from diplo.domain.integrity import note

    checkpoint = tmp_path / "cp"
    assert diplo("seal", "--out", str(checkpoint), "--store", seeded).exit_code == 0
    pem = diplo("seal", "--export-key").stdout.encode()
    public = serialization.load_pem_public_key(pem)
    raw = note.raw_public(public)  # type: ignore[arg-type]
    origin = checkpoint.read_text().splitlines()[0]
    vkey = tmp_path / "log.vkey"
    vkey.write_text(note.Verifier(origin, note.ED25519, raw).vkey() + "\n")
    assert base64.b64decode(vkey.read_text().split("+", 2)[2])[0] == 1
    result = diplo(
        "verify", "--checkpoint", str(checkpoint), "--public-key", str(vkey), "--store", seeded
    )
    assert result.exit_code == 0, result.output
