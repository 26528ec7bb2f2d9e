"""Which idempotency keys the store may hold, without asking it: an import checks every key it
reads against the store, a query per chunk, and most keys of a long import are new."""

from __future__ import annotations

from collections.abc import Iterable


class KeyFilter:
    """A Bloom filter of one hash: a bit for each key the store holds, set by ``add``. A key
    whose bit is clear is certainly not in the store; one whose bit is set may be (or shares a
    bit with another key: with a million keys, about one in sixteen), and is asked of the
    store. Its size is fixed (2 MiB), however many keys an import writes.

    It is exact only while every key the store gains is added: an import holds the writer's
    lock and adds the keys of each chunk it writes (``Batch.written``). Python's ``hash`` of a
    text differs between processes, so a filter never leaves the one that made it."""

    BITS = 1 << 24

    def __init__(self, keys: Iterable[str] = ()) -> None:
        self.bits = bytearray(self.BITS // 8)
        self.add(keys)

    def add(self, keys: Iterable[str]) -> None:
        bits, mask = self.bits, self.BITS - 1
        for key in keys:
            bit = hash(key) & mask
            bits[bit >> 3] |= 1 << (bit & 7)

    def among(self, keys: Iterable[str]) -> list[str]:
        """Those of ``keys`` the store may hold: the rest it certainly does not."""
        bits, mask = self.bits, self.BITS - 1
        found = []
        for key in keys:
            bit = hash(key) & mask
            if bits[bit >> 3] >> (bit & 7) & 1:
                found.append(key)
        return found
