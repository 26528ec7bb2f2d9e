"""Copying a ledger between stores, row for row: same keys, same order, same bytes and the
same leaf format per row (``integrity/chain.py``), so the same hash chain and Merkle root.
Each page commits on its own, and a copy that stopped half-way resumes where it stopped (the
target must be a prefix of the source)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from uuid import UUID

from diplo.domain.errors import IntegrityFailure, StoreError
from diplo.domain.integrity import chain
from diplo.domain.store.interface import KeyedStoredEvent

if TYPE_CHECKING:
    from diplo.domain.app.ledger import Ledger

PAGE = 5000


def migrate(
    source: Ledger, target: Ledger, progress: Callable[[int, int], None] | None = None
) -> int:
    """Copy what ``target`` lacks of ``source``; return how many events were copied."""
    done, total = target.head(), source.head()
    if done > total:
        raise StoreError(f"the target holds {done} events, the source only {total}")
    if done and _chain(target, done) != _chain(source, done):
        raise IntegrityFailure(
            f"position {done}: the target is not a copy of the source's "
            "first events; migrate into an empty ledger"
        )
    copied = 0
    previous = bytes.fromhex(_chain(source, done)) if done else chain.GENESIS
    while True:
        page = source.recorder.scan_page(done, PAGE)
        if not page:
            return copied
        events, previous = _copies(page, previous)
        positions = target.recorder.insert_events(events)
        done, copied = page[-1][0], copied + len(page)
        if positions[-1] != done or _chain(target, done) != page[-1][5]:
            raise IntegrityFailure(
                f"position {done}: the copy does not reproduce the source's hash chain"
            )
        if progress:
            progress(done, total)


def _copies(page: list[Any], previous: bytes) -> tuple[list[KeyedStoredEvent], bytes]:
    """The rows of a page as events to insert, each in the leaf format it was written with."""
    events = []
    for position, oid, version, topic, state, stored, key, digest in page:
        row = (position, oid, version, topic, key, digest, state)
        form = chain.form_of(previous, stored, row)
        if form is None:
            raise IntegrityFailure(
                f"position {position}: the source does not verify there (see `diplo verify`); "
                "the copy stops before it"
            )
        previous = bytes.fromhex(stored)
        events.append(
            KeyedStoredEvent(
                originator_id=UUID(hex=oid),
                originator_version=version,
                topic=topic,
                state=state,
                key=key,
                content_hash=digest,
                leaf_format=form,  # an old row stays in its old leaf format
            )
        )
    return events, previous


def _chain(ledger: Ledger, position: int) -> str:
    return str(ledger.recorder.scan_page(position - 1, 1)[0][5])
