"""Tamper evidence on the command line: verify, seal, prove, verify-proof.

Exit 3 on any integrity failure (a break, a bad signature, a missing quorum, equivocation, a
malformed checkpoint or proof); exit 2 when a key file given holds no key.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from diplo.cli.common import StoreOption, console, ledger_at, refusals, write_out
from diplo.cli.progress import progress
from diplo.cli.safe import shown

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    from diplo.domain.app.ledger import Ledger
    from diplo.domain.integrity.checkpoint import Checkpoint
    from diplo.domain.integrity.trust import Policy
    from diplo.domain.integrity.verify import Progress, Scan

app = typer.Typer()
_FILE = {"exists": True, "dir_okay": False, "readable": True}
CheckpointsOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--checkpoint",
        help="A checkpoint file; repeat to check several together.",
        metavar="<file>",
        **_FILE,
    ),
]
CheckpointOption = Annotated[
    Path | None, typer.Option("--checkpoint", help="A checkpoint file.", **_FILE)
]
PinOption = Annotated[
    Path | None,
    typer.Option(
        "--public-key",
        help="The log's public key (PEM from `seal --export-key`, or a vkey). "
        "Default: the configured sealing key (DIPLO_SEAL_KEY).",
        **_FILE,
    ),
]
WitnessesOption = Annotated[
    Path | None,
    typer.Option("--witnesses", help="A file of pinned witness vkeys, one per line.", **_FILE),
]
QuorumOption = Annotated[
    int | None,
    typer.Option("--quorum", help="How many pinned witnesses must have cosigned (default all)."),
]


@app.command()
def verify(
    checkpoint: CheckpointsOption = None,
    public_key: PinOption = None,
    witnesses: WitnessesOption = None,
    quorum: QuorumOption = None,
    store: StoreOption = None,
) -> None:
    """Recompute the hash chain and Merkle root; with checkpoints, prove the log extends them."""
    from diplo.domain.errors import IntegrityFailure
    from diplo.domain.integrity.verify import against

    sealed = [(path.name, _checkpoint(path)) for path in checkpoint or []]
    policy = _policy(sealed, public_key, witnesses, quorum)
    with refusals():
        problems = policy.problems(sealed)
        if problems:
            raise IntegrityFailure("\n".join(problems))
    _sound(store)
    with _store_to_verify(store) as ledger:
        with progress("verifying") as advance:
            result = _scan(ledger, advance, [cp.size for _, cp in sealed])
        problems = result.problems or [p for _, cp in sealed for p in against(result, cp)]
        with refusals():
            if problems:
                raise IntegrityFailure("\n".join(problems))
    console.print(f"ok: {result.size} events; hash chain intact; Merkle root {result.root.hex()}")
    old_rows = (result.v2_from or result.size + 1) - 1
    if old_rows:
        console.print(
            shown(
                f"ok: positions 1–{old_rows} use the diplo 0.1 leaf; their keys and content "
                "hashes match their stored events"
            )
        )
    for name, cp in sealed:
        console.print(
            f"ok: {name}: signed checkpoint of {cp.size} events holds{_pinning(policy)}; "
            "the log extends it (consistency proof verified)",
            markup=False,
        )


def _pinning(policy: Policy) -> str:
    if policy.pinned is None:
        return " (signed by the key inside it; pin one with --public-key)"
    if policy.witnesses:
        return f", cosigned by at least {policy.quorum} pinned witness(es)"
    return ""


def _sound(store: str | None) -> None:
    """A damaged SQLite file is an integrity failure (exit 3), before it is even opened."""
    from diplo.domain.errors import IntegrityFailure
    from diplo.domain.integrity.verify import sqlite_damage
    from diplo.domain.store.opening import is_postgres, resolve_store

    location = resolve_store(store)
    damage = None if is_postgres(location) else sqlite_damage(location)
    with refusals():
        if damage:
            raise IntegrityFailure(
                f"store: the file is damaged ({damage.splitlines()[-1].strip()}); "
                "restore it from a backup and verify again"
            )


@contextmanager
def _store_to_verify(store: str | None) -> Iterator[Any]:
    """A SQLite store read as plain rows (verify needs nothing else of a ledger); any other
    store, or one that does not open so, through the ledger (which says why)."""
    from diplo.cli.quick import plain_store

    with plain_store(store) as plain:
        if plain is not None:
            yield plain
            return
    with ledger_at(store) as ledger:
        yield ledger


def _scan(ledger: Ledger, advance: Progress | None, sizes: list[int]) -> Scan:
    """The scan; a store that cannot be read to the end is an integrity failure, not a crash."""
    import sqlite3

    from diplo.domain.errors import IntegrityFailure, StoreError
    from diplo.domain.integrity.verify import scan

    theirs, their_damage = _read_errors(ledger)
    unreadable: tuple[type[Exception], ...] = (*theirs, sqlite3.OperationalError)
    damaged: tuple[type[Exception], ...] = (*their_damage, sqlite3.DatabaseError)
    with refusals():
        try:
            return scan(ledger, advance, keep_leaves=False, checkpoint_sizes=sizes)
        except unreadable as error:
            raise StoreError(f"cannot read the store: {error}") from None
        except damaged as error:
            raise IntegrityFailure(
                f"store: it cannot be read to the end ({error}): the file is damaged; "
                "restore it from a backup and verify again"
            ) from None


def _read_errors(
    ledger: Any,
) -> tuple[tuple[type[Exception], ...], tuple[type[Exception], ...]]:
    """eventsourcing's errors for a store that cannot be read and one that is damaged, when
    the ledger was opened through it (a plain SQLite read raises sqlite3's own)."""
    from diplo.domain.store.plain import PlainLedger

    if isinstance(ledger, PlainLedger):
        return (), ()
    from eventsourcing.persistence import OperationalError, PersistenceError

    return (OperationalError,), (PersistenceError,)


def _policy(
    sealed: list[tuple[str, Checkpoint]],
    public_key: Path | None,
    witnesses: Path | None,
    quorum: int | None,
) -> Policy:
    """Whom to trust: the pinned log key, the pinned witnesses and their quorum (exit 2 on
    a key file that holds no key, or options that do not fit together)."""
    from diplo.domain.integrity.checkpoint import NoteCheckpoint
    from diplo.domain.integrity.sealing import KeyFileError
    from diplo.domain.integrity.trust import Policy, load_witnesses

    pinned = _pinned(public_key)
    if pinned is None and any(isinstance(cp, NoteCheckpoint) for _, cp in sealed):
        raise typer.BadParameter(
            "a signed-note checkpoint does not carry its key: give the log's public key "
            "(`diplo seal --export-key` prints it), or configure the sealing key",
            param_hint="--public-key",
        )
    try:
        keys = load_witnesses(witnesses) if witnesses else []
    except KeyFileError as error:
        raise typer.BadParameter(str(error), param_hint="--witnesses") from None
    if keys and not sealed:
        raise typer.BadParameter("witnesses cosign checkpoints: give --checkpoint")
    if quorum is not None and not keys:
        raise typer.BadParameter("a quorum of whom? give --witnesses", param_hint="--quorum")
    needed = len(keys) if quorum is None else quorum
    if keys and not 1 <= needed <= len(keys):
        raise typer.BadParameter(f"must be from 1 to {len(keys)}", param_hint="--quorum")
    return Policy(pinned, keys, needed)


def _pinned(public_key: Path | None) -> Ed25519PublicKey | None:
    """``--public-key``, else the operator's configured sealing key, else none."""
    from diplo.domain.integrity.sealing import KeyFileError, configured_key, load_public_key

    if public_key is not None:
        try:
            return load_public_key(public_key)
        except KeyFileError as error:
            raise typer.BadParameter(str(error), param_hint="--public-key") from None
    with refusals():
        return configured_key()


@app.command()
def seal(
    out: Annotated[Path | None, typer.Option("--out", help="Write the checkpoint here.")] = None,
    export_key: Annotated[bool, typer.Option("--export-key", help="Print the public key.")] = False,
    store: StoreOption = None,
) -> None:
    """Sign a checkpoint of the head: a C2SP signed note (origin, size, Merkle root), Ed25519."""
    from diplo.domain.integrity.sealing import key_path, public_pem, signing_key
    from diplo.domain.integrity.verify import seal as make_seal

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
        return
    write_out(out, text)
    console.print(
        shown(
            f"sealed {checkpoint.size} events of {checkpoint.origin}, root "
            f"{checkpoint.root_hex} → {out} (key {key_path()})"
        )
    )


@app.command()
def prove(
    key: Annotated[str, typer.Argument(help="The event's key.")],
    checkpoint: CheckpointOption = None,
    store: StoreOption = None,
) -> None:
    """Print an inclusion proof of one event, checkable without the store (`diplo verify-proof`)."""
    from diplo.domain.integrity.proof import prove as make_proof

    sealed = _checkpoint(checkpoint) if checkpoint else None
    with ledger_at(store) as ledger:
        proof = make_proof(ledger, key, sealed)
    sys.stdout.write(proof.dumps())


@app.command("verify-proof")
def verify_proof(
    proof_file: Annotated[
        Path, typer.Argument(help="A proof from `diplo prove`.", **_FILE)  # type: ignore[arg-type]
    ],
    public_key: PinOption = None,
    witnesses: WitnessesOption = None,
    quorum: QuorumOption = None,
) -> None:
    """Check an inclusion proof (its label, its path, its checkpoint) without any store."""
    from diplo.domain.errors import IntegrityFailure, StoreError
    from diplo.domain.integrity.proof import MAX_PROOF, InclusionProof, ProofError

    with refusals():
        try:
            with proof_file.open("rb") as handle:
                proof = InclusionProof.loads(handle.read(MAX_PROOF + 1))
            problem = proof.problem()
            sealed = proof.sealed()
        except OSError as error:
            raise StoreError(f"proof: cannot read {proof_file}: {error.strerror}") from None
        except ProofError as error:
            raise IntegrityFailure(str(error)) from None
        if problem:
            raise IntegrityFailure(problem)
    policy = _policy([("checkpoint", sealed)] if sealed else [], public_key, witnesses, quorum)
    with refusals():
        if sealed is not None:
            problems = policy.problems([("proof: its checkpoint", sealed)])
            if (sealed.size, sealed.root_hex) != (proof.size, proof.root):
                problems.append("proof: its checkpoint seals another tree than the one proven")
            if problems:
                raise IntegrityFailure("\n".join(problems))
    console.print(
        shown(
            f"ok: event {proof.key} is included at position {proof.position} of "
            f"{proof.size} (root {proof.root})"
            + (f", under a valid signed checkpoint{_pinning(policy)}" if sealed else "")
        ),
    )


def _checkpoint(path: Path) -> Checkpoint:
    from diplo.domain.errors import IntegrityFailure
    from diplo.domain.integrity.checkpoint import read

    with refusals():
        try:
            return read(path)
        except ValueError as error:
            raise IntegrityFailure(f"checkpoint: cannot read it: {error}") from None
