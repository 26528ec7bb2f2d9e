"""What both recorders share: a write session per thread, and threads taking turns to write.

A session holds ONE store transaction open across many inserts, so an import of any size
commits once (all or nothing) while holding only a chunk in memory. While it is open, every read
and insert that the thread which opened it makes through the recorder goes through the session's
connection and sees what it wrote so far. Other threads sharing the recorder are not affected:
they read the last committed state through the shared datastore, and a thread that wants to
write (a session, or an insert outside one) waits until the open session ends.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Any, TypeVar

T = TypeVar("T")


class _ThreadSession(threading.local):
    """The stand-in for the datastore while this thread's session is open, else None."""

    standin: Any = None


class SessionRecorder:
    """Mixed in before an eventsourcing recorder class: its methods use ``self.datastore``,
    which here names the calling thread's open session, else the datastore all threads share.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._thread = _ThreadSession()
        self._turn = threading.Lock()
        super().__init__(*args, **kwargs)

    @property
    def datastore(self) -> Any:
        standin = self._thread.standin
        return self._shared_datastore if standin is None else standin

    @datastore.setter
    def datastore(self, datastore: Any) -> None:
        self._shared_datastore = datastore  # set once, by eventsourcing's __init__

    def in_session(self) -> bool:
        """Whether the calling thread has a session open."""
        return self._thread.standin is not None

    @contextmanager
    def session(self, *, commit: bool = True) -> Iterator[None]:
        """One write transaction across many inserts; ``commit=False`` (a dry run) rolls it
        back. Threads of this process queue for their turn here; other processes queue at the
        store's own write lock (see ``_open_session``)."""
        if self.in_session():
            raise RuntimeError("a session is already open in this thread; sessions do not nest")
        with self._turn, self._open_session(self._shared_datastore, commit=commit) as standin:
            self._thread.standin = standin
            try:
                yield
            finally:
                self._thread.standin = None

    def _open_session(self, shared: Any, *, commit: bool) -> AbstractContextManager[Any]:
        """Begin a write transaction holding the store's write lock; give what stands in for
        the datastore while it lasts; commit (or roll back) at the end."""
        raise NotImplementedError


def chunked(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    """``items`` in slices of ``size``: what one query's parameters can hold."""
    for start in range(0, len(items), size):
        yield items[start : start + size]
