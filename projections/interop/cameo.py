"""CAMEO/PLOVER event rows: one tab-separated row per activity event, as event-data tools read.

Columns: date (the EDTF date as recorded), the countries of actor 1 and actor 2, the CAMEO code
(from the type's declaration), its PLOVER category (from the shipped table; empty where PLOVER
codes none, as for statements), the event's key, and the first source URL. Actor 1 is the side
that acts (donor, lender, visitor, speaker); for events among peers (meetings, agreements) it
is the first party named, and actor 2 the next country named. An event that names one country
only leaves actor 2 empty rather than guessing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from diplo.events.cameo import plover_of
from diplo.projections.interop.current import Current

COLUMNS = ("date", "actor1_country", "actor2_country", "cameo", "plover", "key", "source_url")


def cameo_rows(events: Iterable[Current]) -> Iterator[tuple[str, ...]]:
    """The row of each activity event (registry facts are not events of this kind)."""
    for event in events:
        if not event.declaration.on_timeline:
            continue
        code = event.declaration.codes.cameo_for(event.data) or ""
        actors = (*event.countries, "", "")[:2]
        yield (
            event.data["occurred_on"],
            *actors,
            code,
            plover_of(code) or "",
            event.meta.key,
            _first_url(event.data.get("sources") or []),
        )


def _first_url(sources: list[dict[str, str]]) -> str:
    return next((source["url"] for source in sources if source.get("url")), "")


def cameo_tsv(events: Iterable[Current]) -> Iterator[str]:
    """The header line, then one line per row. Values never hold tabs or line breaks: codes,
    keys and URLs are validated on input to have none."""
    yield "\t".join(COLUMNS) + "\n"
    for row in cameo_rows(events):
        yield "\t".join(row) + "\n"
