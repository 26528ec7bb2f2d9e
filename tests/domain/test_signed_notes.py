"""C2SP signed notes, checkpoints and cosignatures: the published examples read and verify, and
what diplo writes follows the specs byte for byte (so any C2SP tool can check it)."""

from __future__ import annotations

import base64
import hashlib
import struct

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from diplo.domain.integrity import note
from diplo.domain.integrity.checkpoint import NoteCheckpoint

# https://c2sp.org/signed-note, "Verifier keys", example
SPEC_VKEY = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k"
SPEC_NOTE = (
    "This is an example message.\n\n— example.com/foo "
    "Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n"
)
# https://c2sp.org/tlog-cosignature, the example checkpoint with a cosignature
SPEC_CHECKPOINT = (
    "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n"
    "— example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/"
    "Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n"
    "— witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX"
    "3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==\n"
)


def test_the_spec_example_note_verifies_under_the_spec_example_vkey() -> None:
    verifier = note.Verifier.from_vkey(SPEC_VKEY)
    assert verifier.vkey() == SPEC_VKEY
    assert verifier.check(note.parse(SPEC_NOTE))[0] == note.VALID
    altered = SPEC_NOTE.replace("example message", "exemplary message")
    assert verifier.check(note.parse(altered))[0] == note.INVALID


def test_the_spec_example_checkpoint_reads_with_its_cosignature() -> None:
    checkpoint = NoteCheckpoint.parse(SPEC_CHECKPOINT)
    assert (checkpoint.origin, checkpoint.size) == ("example.com/behind-the-sofa", 20852163)
    cosignature = checkpoint.note.signatures[1]
    assert cosignature.name == "witness.example.com/w1" and len(cosignature.data) == 8 + 64
    assert struct.unpack(">Q", cosignature.data[:8])[0] == 1679315147  # the spec's time line


def test_a_seal_is_a_checkpoint_note_signed_as_the_spec_says() -> None:
    key = Ed25519PrivateKey.generate()
    root = hashlib.sha256(b"root").digest()
    text = NoteCheckpoint.create("diplo/abc", 7, root, key).dumps()
    body, signature_line = text.split("\n\n")
    assert body == f"diplo/abc\n7\n{base64.b64encode(root).decode()}"
    name, encoded = signature_line.removeprefix("\u2014 ").rstrip("\n").split(" ")
    raw = base64.b64decode(encoded)
    public = note.raw_public(key.public_key())
    assert name == "diplo/abc"
    assert raw[:4] == hashlib.sha256(b"diplo/abc\n\x01" + public).digest()[:4]
    key.public_key().verify(raw[4:], (body + "\n").encode())


def test_a_cosignature_is_timestamped_and_signs_the_spec_message() -> None:
    log, witness = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    checkpoint = NoteCheckpoint.create("diplo/abc", 7, bytes(32), log)
    cosigned = checkpoint.cosigned("w.example/1", witness, 1_700_000_000)
    line = cosigned.note.signatures[-1]
    public = note.raw_public(witness.public_key())
    assert line.key_id == hashlib.sha256(b"w.example/1\n\x04" + public).digest()[:4]
    assert struct.unpack(">Q", line.data[:8])[0] == 1_700_000_000
    message = b"cosignature/v1\ntime 1700000000\n" + checkpoint.note.text.encode()
    witness.public_key().verify(line.data[8:], message)
    pinned = note.Verifier("w.example/1", note.COSIGNATURE, public)
    assert cosigned.cosigners([pinned]) == (["w.example/1"], [])


@pytest.mark.parametrize(
    "text",
    [
        "no blank line\n— a AAAA\n",
        "body\n\n— a not-base64!\n",
        "body\n\n- a AAAAAAAA\n",
        "body\n\n— a AAAAAAAA",
        "body\x07\n\n— a AAAAAAAA\n",
        "body\n\n— a+b AAAAAAAA\n",
    ],
    ids=["no blank", "bad base64", "ascii dash", "no final newline", "control", "plus in name"],
)
def test_malformed_notes_are_refused(text: str) -> None:
    with pytest.raises(note.NoteError):
        note.parse(text)


@pytest.mark.parametrize(
    "body",
    [
        "o\n012\nAAAA\n",
        "o\n-1\n" + "A" * 43 + "=\n",
        "o\n1\nAAAA\n",
        "o\n1\n",
        "o\n99999999999999999999\n" + "A" * 43 + "=\n",
    ],
    ids=["leading zero", "negative", "short root", "no root", "absurd size"],
)
def test_malformed_checkpoints_are_refused(body: str) -> None:
    key = Ed25519PrivateKey.generate()
    signed = note.Note(body, (note.sign(body, "o", key),)).dumps()
    with pytest.raises(note.NoteError):
        NoteCheckpoint.parse(signed)
