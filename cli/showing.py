"""`diplo show KEY`: everything the ledger knows of one event."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from diplo.cli.common import console
from diplo.cli.safe import shown
from diplo.domain.errors import UnknownEvent
from diplo.events.canonical import content_digest, content_of

if TYPE_CHECKING:
    from diplo.domain.app.ledger import Ledger
    from diplo.domain.store.plain import PlainLedger


def describe_event(ledger: Ledger, key: str) -> dict[str, Any]:
    """Everything about the event ``key``, read through the ledger (its fact validated)."""
    from diplo.events.catalog import canonical_dict

    stored = ledger.get_event(key)
    if stored is None:
        raise _unknown(key)
    topics = _amendment_topics()  # the rows after it that may amend it
    return described(
        stored.position,
        canonical_dict(stored.fact),
        stored.recorded_at.isoformat(),
        stored.state,
        ((n.id, n.state) for n in _pages(ledger, stored.position + 1, topics)),
    )


def describe_stored(ledger: PlainLedger, key: str) -> dict[str, Any]:
    """``describe_event`` from the stored rows as plain data: no model is built. The same
    check of the key column against the key inside the hashed event is made."""
    from datetime import datetime

    from diplo.domain.errors import IntegrityFailure
    from diplo.domain.integrity.chain import relabelled
    from diplo.domain.store.records import decode_data
    from diplo.events.declared import in_model_order

    row = ledger.row_of(key)
    if row is None:
        raise _unknown(key)
    position, state = row
    stored, recorded_at = decode_data(state)
    data = in_model_order(stored)  # as the model dumps it: ``show`` lists fields in order
    if data.get("key") != key:
        raise IntegrityFailure(relabelled(position, key, data.get("key")))
    rows = ledger.rows(position + 1, topics=_amendment_topics())
    return described(position, data, datetime.fromisoformat(recorded_at).isoformat(), state, rows)


def described(
    position: int,
    data: dict[str, Any],
    recorded_at: str,
    state: bytes,
    later: Iterable[tuple[int, bytes]],
) -> dict[str, Any]:
    """What ``show`` tells of the event stored at ``position`` as ``state``: its canonical
    ``data``, and the corrections, retractions and corroborations among the ``later`` rows
    (``(position, state)``, every amending row after it) that name it."""
    key = data["key"]
    amendments = [
        {
            "key": amending["key"],
            "type": amending["type"],
            "position": at,
            "recorded_at": when,
            "recorded_by": amending.get("recorded_by"),
            "reason": amending.get("reason"),
            "changes": amending.get("changes"),
        }
        for at, amending, when in _decoded(later)
        if amending.get("target") == key
    ]
    return {
        "key": key,
        "type": data["type"],
        "position": position,
        "recorded_at": recorded_at,
        "recorded_by": data.get("recorded_by"),
        "sources": list(data.get("sources") or []),
        "event": data,
        "content_hash": content_digest(content_of(data)),
        "stored_sha256": hashlib.sha256(state).hexdigest(),
        "status": _status(amendments),
        "corrections": amendments,
    }


def _unknown(key: str) -> UnknownEvent:
    return UnknownEvent(f"key: no event with key {key!r}; see `diplo log` for keys")


def _amendment_topics() -> list[str]:
    """The topics of corrections, retractions and corroborations: the rows ``show`` reads
    after the event (selected by topic, so the events in between are not read at all)."""
    from diplo.domain.store.topics import topics_among

    return topics_among()


def _decoded(rows: Iterable[tuple[int, bytes]]) -> Iterator[tuple[int, dict[str, Any], str]]:
    from diplo.domain.store.records import decode_data

    for position, state in rows:
        data, recorded_at = decode_data(state)
        yield position, data, recorded_at


def _pages(ledger: Ledger, start: int, topics: list[str]) -> Iterator[Any]:
    while rows := ledger.recorder.select_notifications(start, PAGE, topics=topics):
        yield from rows
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
