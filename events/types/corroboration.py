"""Corroboration: another source reports an event already recorded.

When an article repeats what the ledger holds (the same id with the same content), its sources
are appended to the original as an ``EventCorroborated``; reports then count the original's
independent sources.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

from diplo.events.declaration import Data, Meta, Rows, Table, declare
from diplo.events.envelope import Fact, Source, described
from diplo.events.rows import KEY
from diplo.events.values import EventKey

if TYPE_CHECKING:
    from diplo.events.directory import Directory
from pydantic import Field

ORDER = 95


class EventCorroborated(Fact):
    """Another source for an earlier event (recorded when a repeat brings new sources)."""

    type: Literal["EventCorroborated"] = "EventCorroborated"
    target: EventKey = described(
        "The key of the event another source confirms.", "uza-676233/grant/ggp-spmc-pohi"
    )
    # the new sources: `sources` of the envelope (required here, at least one)
    sources: Annotated[list[Source], Field(min_length=1, max_length=50)] = described(
        "The new sources (at least one).",
        [
            {
                "publisher": "UzA",
                "title": "Japan funds equipment for Samarkand",
                "url": "https://uza.uz/en/posts/676233",
                "published_on": "2025-03-16",
            }
        ],
    )


CORROBORATIONS = Table(
    "corroborations",
    "Sources added to recorded events by later reports of the same facts.",
    {
        "key": KEY,
        "target": "key of the event corroborated",
        "publishers": "publishers of the new sources, semicolon-separated",
        "recorded_at": "transaction time",
    },
    indexes=("target",),
)


def _corroboration(d: Data, m: Meta, _: Directory) -> Rows:
    publishers = "; ".join(dict.fromkeys(s["publisher"] for s in d["sources"]))
    return {
        "corroborations": [
            {
                "key": m.key,
                "target": d["target"],
                "publishers": publishers,
                "recorded_at": m.recorded_at,
            }
        ]
    }


declare(
    EventCorroborated,
    record="target",
    subject="target",
    creates=False,
    command="corroborate",
    summary=lambda d, _: (
        f"{d['target']} corroborated by {', '.join(s['publisher'] for s in d['sources'])}"
    ),
    rows=_corroboration,
    tables=(CORROBORATIONS,),
)
