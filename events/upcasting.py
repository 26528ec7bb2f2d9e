"""Old schema versions are upcast on read, so stored bytes never change and hashes hold.

An upcaster turns the JSON data of one version of a type into the next version's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from diplo.events.declared import versions

Data = dict[str, Any]
UPCASTERS: dict[tuple[str, int], Callable[[Data], Data]] = {}


def upcaster(
    type_name: str, from_version: int
) -> Callable[[Callable[[Data], Data]], Callable[[Data], Data]]:
    """Register a function that upcasts ``type_name`` data from ``from_version`` to the next."""

    def register(function: Callable[[Data], Data]) -> Callable[[Data], Data]:
        UPCASTERS[(type_name, from_version)] = function
        return function

    return register


def upcast(data: Data, version: int) -> Data:
    """``data`` stored at ``version``, brought up to its type's current schema version."""
    current = versions()[data["type"]]  # ``schema_version``, asked for every event read
    if version < current:
        from diplo.events.declaration import declarations

        declarations()  # upcasters are registered beside their types' models
    while version < current:
        data = UPCASTERS[(data["type"], version)](dict(data))
        version += 1
    return data
