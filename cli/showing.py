"""`diplo show KEY`: everything the ledger knows of one event."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from diplo.cli.common import console
from diplo.cli.safe import shown
from diplo.domain.errors import UnknownEvent
from diplo.events.catalog import canonical_dict, content_hash

if TYPE_CHECKING:
    from diplo.domain.app.ledger import Ledger


def describe_event(ledger: Ledger, key: str) -> dict[str, Any]:
    stored = ledger.get_event(key)
    if stored is None:
        raise UnknownEvent(f"key: no event with key {key!r}; see `diplo log` for keys")
    fact = stored.fact
    amendments = [
        {
            "key": s.key,
            "type": s.fact.type,
            "position": s.position,
            "recorded_at": s.recorded_at.isoformat(),
            "recorded_by": s.fact.recorded_by,
            "reason": getattr(s.fact, "reason", None),
            "changes": getattr(s.fact, "changes", None),
        }
        for s in ledger.read(start=stored.position + 1)
        if getattr(s.fact, "target", None) == key
    ]
    return {
        "key": key,
        "type": fact.type,
        "position": stored.position,
        "recorded_at": stored.recorded_at.isoformat(),
        "recorded_by": fact.recorded_by,
        "sources": [s.model_dump(mode="json", exclude_none=True) for s in fact.sources],
        "event": canonical_dict(fact),
        "content_hash": content_hash(fact),
        "stored_sha256": hashlib.sha256(stored.state).hexdigest(),
        "status": _status(amendments),
        "corrections": amendments,
    }


def _status(amendments: list[dict[str, Any]]) -> str:
    types = {a["type"] for a in amendments}
    return (
        "retracted"
        if "EventRetracted" in types
        else ("corrected" if "EventCorrected" in types else "active")
    )


def print_description(data: dict[str, Any]) -> None:
    from rich.table import Table

    table = Table(show_header=False, title=shown(f"{data['type']} {data['key']}"))
    table.add_column()
    table.add_column(overflow="fold")  # never crop a hash or a key
    for name in (
        "position",
        "status",
        "recorded_at",
        "recorded_by",
        "content_hash",
        "stored_sha256",
    ):
        table.add_row(name, shown(data[name]))
    for name, value in data["event"].items():
        if name not in ("type", "key", "recorded_by", "sources"):
            table.add_row(shown(f"event.{name}"), shown(value))
    for source in data["sources"]:
        table.add_row("source", shown(", ".join(f"{k}: {v}" for k, v in source.items())))
    for a in data["corrections"]:
        table.add_row(
            shown(a["type"]),
            shown(
                f"{a['key']} at {a['position']} by {a['recorded_by']} "
                f"({a['recorded_at']}): {a['reason']} {a['changes'] or ''}"
            ),
        )
    console.print(table)
