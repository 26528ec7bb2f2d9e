"""Hole 2: a proof did not prove its label. `verify-proof` trusted the proof's `key` field, so a
proof of one event relabelled with another's key was "ok: included"; malformed proofs crashed
with a traceback and exit 1. Now the key (and, for a v2 leaf, the position) must be the one
inside the proven leaf, and any malformed proof is a one-line refusal with exit 3."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.redteam.conftest import one_line_error

GRANT_KEY = "uza-676233/project/samarkand-clinic"
OTHER_KEY = "uza-676233/org/gov-jp"


@pytest.fixture
def proof(diplo: Any, seeded: str, tmp_path: Path) -> dict[str, Any]:
    result = diplo("prove", GRANT_KEY, "--store", seeded)
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def check(diplo: Any, tmp_path: Path, content: str | bytes) -> Any:
    path = tmp_path / "proof.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    return diplo("verify-proof", str(path))


def test_a_proof_relabelled_with_another_key_is_refused(
    diplo: Any, tmp_path: Path, proof: dict[str, Any]
) -> None:
    assert check(diplo, tmp_path, json.dumps(proof)).exit_code == 0  # the honest proof holds
    message = one_line_error(check(diplo, tmp_path, json.dumps(proof | {"key": OTHER_KEY})))
    assert f"labelled {OTHER_KEY!r} but proves the event {GRANT_KEY!r}" in message


def test_a_proof_moved_to_another_position_is_refused(
    diplo: Any, tmp_path: Path, proof: dict[str, Any]
) -> None:
    message = one_line_error(check(diplo, tmp_path, json.dumps(proof | {"position": 22})))
    assert "its leaf is position 21" in message


MALFORMED: dict[str, Any] = {  # each of these crashed verify-proof with a traceback, exit 1
    "position as text": {"position": "21"},
    "position as a float": {"position": 21.0},
    "key not text": {"key": 7},
    "leaf not hex": {"leaf": "zz"},
    "leaf of odd length": {"leaf": "abc"},
    "path not a list": {"path": "ab"},
    "path of non-hex": {"path": ["zz" * 32]},
    "checkpoint of the wrong type": {"checkpoint": 5},
    "checkpoint not a note": {"checkpoint": "hello"},
    "checkpoint an incomplete object": {"checkpoint": {"format": "diplo-checkpoint-v1"}},
    "deeply nested": "[" * 100_000 + "]" * 100_000,
}


@pytest.mark.parametrize("damage", MALFORMED.values(), ids=MALFORMED.keys())
def test_a_malformed_proof_is_one_line_and_exit_3_not_a_traceback(
    diplo: Any, tmp_path: Path, proof: dict[str, Any], damage: Any
) -> None:
    content = json.dumps(proof | damage) if isinstance(damage, dict) else damage
    assert one_line_error(check(diplo, tmp_path, content)).startswith("error: proof:")


def test_a_proof_larger_than_any_proof_is_refused_unread(diplo: Any, tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    with path.open("wb") as handle:
        handle.truncate(65 << 20)  # sparse: 65 MiB of zero bytes
    message = one_line_error(diplo("verify-proof", str(path)))
    assert "larger than" in message
