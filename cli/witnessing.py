"""`diplo witness`: cosign a log's checkpoints as an independent party (C2SP tlog-witness).

The witness's state (its key, and per log the last checkpoint it cosigned) lives in its own
folder, never beside a ledger: ``--dir``, else ``DIPLO_WITNESS_DIR``, else
``~/.config/diplo/witness``.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from diplo.cli.common import StoreOption, console, ledger_at, refusals

if TYPE_CHECKING:
    from diplo.domain.integrity.checkpoint import NoteCheckpoint
    from diplo.domain.integrity.witness import Consistency, Witness

app = typer.Typer(help="Cosign checkpoints as an independent witness.", no_args_is_help=True)
DirOption = Annotated[
    Path | None,
    typer.Option("--dir", help="The witness's folder.", envvar="DIPLO_WITNESS_DIR"),
]
_FILE = {"exists": True, "dir_okay": False, "readable": True}


def _folder(folder: Path | None) -> Path:
    if folder is not None:
        return folder
    base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "diplo" / "witness"


def _witness(folder: Path | None) -> Witness:
    from diplo.domain.integrity.witness import Witness

    with refusals():
        return Witness(_folder(folder))


@app.command()
def init(
    name: Annotated[str, typer.Option("--name", help="The witness's name, e.g. example.org/w1.")],
    folder: DirOption = None,
) -> None:
    """Create a witness: its Ed25519 key (mode 0600) and name. Prints its vkey to pin."""
    from diplo.domain.integrity.note import NoteError
    from diplo.domain.integrity.witness import Witness

    with refusals():
        try:
            witness = Witness.init(_folder(folder), name)
        except NoteError as error:
            raise typer.BadParameter(str(error), param_hint="--name") from None
    sys.stdout.write(witness.verifier.vkey() + "\n")


@app.command()
def key(folder: DirOption = None) -> None:
    """Print the witness's vkey: the line auditors put in their `--witnesses` file."""
    sys.stdout.write(_witness(folder).verifier.vkey() + "\n")


@app.command()
def cosign(
    request: Annotated[
        Path,
        typer.Argument(
            help="A checkpoint (with --store), or a consistency request from "
            "`diplo witness consistency`.",
            **_FILE,  # type: ignore[arg-type]
        ),
    ],
    log_key: Annotated[
        Path | None,
        typer.Option("--log-key", help="The log's public key; needed the first time.", **_FILE),
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Write the cosigned note here.")] = None,
    folder: DirOption = None,
    store: StoreOption = None,
) -> None:
    """Cosign a checkpoint, only if it extends the last one this witness cosigned for its log."""
    from diplo.domain.errors import StoreError
    from diplo.domain.integrity.sealing import KeyFileError, load_public_key

    witness = _witness(folder)
    try:
        pinned = load_public_key(log_key) if log_key else None
    except KeyFileError as error:
        raise typer.BadParameter(str(error), param_hint="--log-key") from None
    checkpoint, proof = _request(request)
    if proof is None and store is not None:
        proof = _from_store(witness, checkpoint, store)
    with refusals():
        cosigned = witness.cosign(checkpoint, proof, pinned, int(time.time()))
        if out is None:
            sys.stdout.write(cosigned.dumps())
            return
        try:
            out.write_text(cosigned.dumps())
        except OSError as error:
            raise StoreError(f"--out: cannot write {out}: {error.strerror}") from None
    console.print(
        f"cosigned {checkpoint.origin} at size {checkpoint.size} as {witness.name} → {out}",
        markup=False,
    )


@app.command()
def consistency(
    checkpoint: Annotated[Path, typer.Argument(help="The new checkpoint.", **_FILE)],  # type: ignore[arg-type]
    old: Annotated[int, typer.Option("--old", help="The size the witness last cosigned.", min=0)],
    store: StoreOption = None,
) -> None:
    """Print a consistency request for a witness: old size, proof, then the checkpoint."""
    from diplo.domain.integrity.merkle import consistency_proof
    from diplo.domain.integrity.witness import Consistency

    sealed = _note(checkpoint)
    with ledger_at(store) as ledger:
        leaves = _leaves(ledger, sealed)
    if old > sealed.size:
        raise typer.BadParameter(f"the checkpoint holds only {sealed.size}", param_hint="--old")
    proof = Consistency(old, tuple(consistency_proof(old, leaves)) if old else ())
    sys.stdout.write(proof.request(sealed))


def _request(path: Path) -> tuple[NoteCheckpoint, Consistency | None]:
    """A plain checkpoint, or a consistency request (tlog-witness add-checkpoint body)."""
    from diplo.domain.errors import IntegrityFailure
    from diplo.domain.integrity.note import NoteError
    from diplo.domain.integrity.witness import parse_request

    with refusals():
        data = path.read_bytes()[: 2 << 20]
        if not data.startswith(b"old "):
            return _note(path), None
        try:
            proof, checkpoint = parse_request(data.decode("utf-8"))
        except (NoteError, UnicodeDecodeError) as error:
            raise IntegrityFailure(f"{path.name}: not a consistency request: {error}") from None
        return checkpoint, proof


def _note(path: Path) -> NoteCheckpoint:
    from diplo.domain.errors import IntegrityFailure
    from diplo.domain.integrity.checkpoint import NoteCheckpoint, read

    with refusals():
        try:
            found = read(path)
        except ValueError as error:
            raise IntegrityFailure(f"checkpoint: cannot read it: {error}") from None
        if not isinstance(found, NoteCheckpoint):
            raise IntegrityFailure("checkpoint: a 0.1 JSON checkpoint cannot be cosigned")
        return found


def _from_store(witness: Witness, checkpoint: NoteCheckpoint, store: str) -> Consistency:
    """The consistency proof from what this witness last cosigned, computed from the store."""
    from diplo.domain.integrity.merkle import consistency_proof
    from diplo.domain.integrity.witness import Consistency

    last = witness.last(checkpoint.origin)
    old = last.size if last and last.size <= checkpoint.size else 0
    with ledger_at(store) as ledger:
        leaves = _leaves(ledger, checkpoint)
    return Consistency(old, tuple(consistency_proof(old, leaves)) if old else ())


def _leaves(ledger: object, checkpoint: NoteCheckpoint) -> list[bytes]:
    """The store's leaves up to the checkpoint's size, from a store that verifies and holds
    what the checkpoint says."""
    from diplo.domain.errors import IntegrityFailure
    from diplo.domain.integrity.merkle import root
    from diplo.domain.integrity.verify import scan

    result = scan(ledger)  # type: ignore[arg-type]
    if result.problems:
        raise IntegrityFailure(result.problems[0])
    if result.size < checkpoint.size or result.origin != checkpoint.origin:
        raise IntegrityFailure(f"the store is not the log {checkpoint.origin} at that size")
    leaves = result.leaves[: checkpoint.size]
    if root(leaves) != checkpoint.root:
        raise IntegrityFailure("the store does not hold what the checkpoint says (another root)")
    return leaves
