"""Tamper evidence on the command line: verify, seal, prove, verify-proof. Exit 3 on a break."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer

from diplo.cli.common import StoreOption, console, ledger_at, refusals, write_out
from diplo.cli.progress import progress
from diplo.cli.safe import shown

app = typer.Typer()
CheckpointOption = Annotated[
    Path | None, typer.Option("--checkpoint", help="A sealed checkpoint file.")
]
PinOption = Annotated[
    Path | None, typer.Option("--public-key", help="PEM key the seal must be by.")
]


@app.command()
def verify(
    checkpoint: CheckpointOption = None, public_key: PinOption = None, store: StoreOption = None
) -> None:
    """Recompute the hash chain and Merkle root; with a checkpoint, prove the log extends it."""
    from diplo.domain.errors import IntegrityFailure
    from diplo.domain.integrity.verify import against, scan
    from diplo.domain.integrity.merkle import root

    with ledger_at(store) as ledger:
        sealed = _checkpoint(checkpoint)
        with progress("verifying") as advance:
            result = scan(ledger, advance)
        problems = result.problems or (
            against(result, sealed, public_key.read_text() if public_key else None)
            if sealed
            else []
        )
        with refusals():
            if problems:
                raise IntegrityFailure("\n".join(problems))
    console.print(
        f"ok: {result.size} events; hash chain intact; Merkle root {root(result.leaves).hex()}"
    )
    if sealed:
        console.print(
            shown(
                f"ok: signed checkpoint of {sealed.size} events ({sealed.sealed_at}) holds; "
                f"the log extends it (consistency proof verified)"
            )
        )


@app.command()
def seal(
    out: Annotated[Path | None, typer.Option("--out", help="Write the checkpoint here.")] = None,
    export_key: Annotated[bool, typer.Option("--export-key", help="Print the public key.")] = False,
    store: StoreOption = None,
) -> None:
    """Sign a checkpoint of the head (size, Merkle root, time) with the Ed25519 sealing key."""
    from diplo.domain.integrity.verify import seal as make_seal
    from diplo.domain.integrity.sealing import key_path, public_pem, signing_key

    with refusals():
        key = signing_key()
    if export_key:
        sys.stdout.write(public_pem(key))
        return
    with ledger_at(store) as ledger:
        checkpoint = make_seal(ledger, key)
    text = checkpoint.dumps()
    if out is None:
        sys.stdout.write(text)
    else:
        write_out(out, text)
        console.print(
            shown(
                f"sealed {checkpoint.size} events, root {checkpoint.root} → {out} "
                f"(key {key_path()})"
            )
        )


@app.command()
def prove(
    key: Annotated[str, typer.Argument(help="The event's key.")],
    checkpoint: CheckpointOption = None,
    store: StoreOption = None,
) -> None:
    """Print an inclusion proof of one event, checkable without the store (`diplo verify-proof`)."""
    from diplo.domain.integrity.verify import prove as make_proof

    with ledger_at(store) as ledger:
        proof = make_proof(ledger, key, _checkpoint(checkpoint))
    sys.stdout.write(json.dumps(asdict(proof), indent=2, sort_keys=True) + "\n")


@app.command("verify-proof")
def verify_proof(
    proof_file: Annotated[Path, typer.Argument(help="A proof from `diplo prove`.")],
    public_key: PinOption = None,
) -> None:
    """Check an inclusion proof (and its checkpoint's signature) without any store."""
    from diplo.domain.errors import IntegrityFailure
    from diplo.domain.integrity.verify import InclusionProof
    from diplo.domain.integrity.sealing import Checkpoint

    with refusals():
        try:
            proof = InclusionProof(**json.loads(proof_file.read_text()))
        except (OSError, ValueError, TypeError) as error:
            raise IntegrityFailure(f"proof: cannot read it: {error}") from None
        if not proof.holds():
            raise IntegrityFailure(
                f"proof: event {proof.key} is NOT included at position "
                f"{proof.position} of the tree of size {proof.size}"
            )
        if proof.checkpoint is not None:
            sealed = Checkpoint(**proof.checkpoint)  # type: ignore[arg-type]
            pinned = public_key.read_text() if public_key else None
            if not sealed.signature_holds(pinned) or (sealed.size, sealed.root) != (
                proof.size,
                proof.root,
            ):
                raise IntegrityFailure("proof: its checkpoint's signature does not hold")
    console.print(
        shown(
            f"ok: event {proof.key} is included at position {proof.position} of "
            f"{proof.size} (root {proof.root})"
            + (", under a valid signed checkpoint" if proof.checkpoint else "")
        )
    )


def _checkpoint(path: Path | None):  # type: ignore[no-untyped-def]
    from diplo.domain.integrity.sealing import Checkpoint

    if path is None:
        return None
    with refusals():
        try:
            return Checkpoint.loads(path.read_text())
        except OSError as error:
            from diplo.domain.errors import StoreError

            raise StoreError(f"checkpoint: cannot read {path}: {error.strerror}") from None
