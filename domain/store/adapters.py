"""sqlite3 binds ``None`` without a thrown-away error per value (CPython 3.11).

Binding a value that is not exactly an int, float or str, CPython 3.11's sqlite3 asks its
adapter protocol first. No adapter is registered for ``None``, so it looks up ``__adapt__``
on ``PrepareProtocol``, and a type object formats an AttributeError message for each miss,
which is then cleared. Counted by callgrind, that was a tenth of the instructions of a
rebuild's writer process (about seven NULL cells per event), and ``bench/bench_binding.py``
times it: rows with four None cells took 2.0-2.2x the same rows with strings, 0.9-1.3x
with the adapter. An adapter registered for ``None`` is found in a dict and called in C
(``{}.get`` returns None for any key), and None is bound as NULL as before. Python 3.12
looks attributes up on types without formatting the error, so there nothing is registered;
nor where the program registered an adapter of its own. (``bytes`` take the same path, but
an adapter for them measured no faster.)
"""

from __future__ import annotations

import sqlite3
import sys
from typing import Any

NULL_ADAPTER: Any = {}.get  # None for any key: a C call, where a Python function adds a frame


def bind_plainly() -> None:
    """Register the adapter for None (Python 3.11; further calls change nothing)."""
    key = (type(None), sqlite3.PrepareProtocol)
    if sys.version_info < (3, 12) and key not in sqlite3.adapters:
        sqlite3.register_adapter(type(None), NULL_ADAPTER)
