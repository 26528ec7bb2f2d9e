"""Copying a ledger between stores, row for row: same keys, same order, same bytes, so the
same hash chain and Merkle root. Each page commits on its own, and a copy that stopped half-way
resumes where it stopped (the target must be a prefix of the source)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING
from uuid import UUID

from diplo.domain.errors import IntegrityFailure, StoreError
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
    while True:
        page = source.recorder.scan_page(done, PAGE)
        if not page:
            return copied
        events = [
            KeyedStoredEvent(
                originator_id=UUID(hex=oid),
                originator_version=version,
                topic=topic,
                state=state,
                key=key,
                content_hash=digest,
            )
            for _, oid, version, topic, state, _, key, digest in page
        ]
        positions = target.recorder.insert_events(events)
        done, copied = page[-1][0], copied + len(page)
        if positions[-1] != done or _chain(target, done) != page[-1][5]:
            raise IntegrityFailure(
                f"position {done}: the copy does not reproduce the source's hash chain"
            )
        if progress:
            progress(done, total)


def _chain(ledger: Ledger, position: int) -> str:
    return str(ledger.recorder.scan_page(position - 1, 1)[0][5])
