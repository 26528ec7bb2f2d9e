"""Deterministic stream ids: the same slug always names the same stream, in every store."""

from __future__ import annotations

from functools import lru_cache
from uuid import UUID, uuid5

NAMESPACE = UUID("5b0f7d2e-9a43-4c1e-8f0a-6d1c2b3a4e5f")


@lru_cache(maxsize=4096)
def stream_id(kind: str, slug: str) -> UUID:
    """The aggregate id of ``slug`` within ``kind`` (``grant``, ``org``…)."""
    return uuid5(NAMESPACE, f"{kind}:{slug}")
