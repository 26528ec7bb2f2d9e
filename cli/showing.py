"""`diplo show KEY`: everything the ledger knows of one event."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
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
            "key": data["key"],
            "type": data["type"],
            "position": position,
            "recorded_at": recorded_at,
            "recorded_by": data.get("recorded_by"),
            "reason": data.get("reason"),
            "changes": data.get("changes"),
        }
        for position, data, recorded_at in _amendments(ledger, stored.position + 1)
        if data.get("target") == key
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


def _amendments(ledger: Ledger, start: int) -> Iterator[tuple[int, dict[str, Any], str]]:
    """``(position, data, recorded_at)`` of every correction, retraction and corroboration from
    ``start`` on: selected by topic and read as plain data, so the events in between are not
    read at all."""
    from diplo.domain.store.records import decode_data
    from diplo.domain.store.topics import AMENDMENTS, topics_named

    topics = [topic for name in AMENDMENTS for topic in topics_named(name)]
    while rows := ledger.recorder.select_notifications(start, PAGE, topics=topics):
        for row in rows:
            data, recorded_at = decode_data(row.state)
            yield row.id, data, recorded_at
        start = rows[-1].id + 1


PAGE = 1000


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
