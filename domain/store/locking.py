"""Writers queue instead of racing.

Appending is optimistic (a stale read is refused by the store), but several processes
appending to one busy stream would refuse each other into starvation: each must replay the
stream before writing. A cross-process lock around read-check-append makes them take turns;
the store's constraints remain the guarantee. The OS (flock) or the server (advisory locks)
release it if its holder dies."""

from __future__ import annotations

import fcntl
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from diplo.domain.errors import StoreError

Waiting = Callable[[], None]  # told once when the lock is held by another writer


@contextmanager
def file_lock(path: str, waiting: Waiting | None = None) -> Iterator[None]:
    try:
        handle = open(path, "a+b")  # noqa: SIM115 - held for the duration of the write
    except OSError as error:
        raise StoreError(f"cannot open the writer lock {path}: {error.strerror}") from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if waiting:
                waiting()
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def advisory_lock(env: dict[str, Any], waiting: Waiting | None = None) -> Iterator[None]:
    from diplo.domain.store.postgres import pg_connect

    key = zlib.crc32(f"diplo:{env['POSTGRES_SCHEMA']}".encode())
    with pg_connect(env, autocommit=True) as conn:
        taken = conn.execute("SELECT pg_try_advisory_lock(%s)", (key,)).fetchone()
        if not (taken and taken[0]):
            if waiting:
                waiting()
            conn.execute("SELECT pg_advisory_lock(%s)", (key,))
        try:
            yield
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (key,))
