"""Pure functions from one event (its current JSON data) to the view rows it stands for.

Each type's rows come from its declaration (``diplo.events.types``); the timeline row of every
activity and the ``_mentions`` rows (which parties an event names, for the correction cascade)
are derived here for all types alike. Nothing here reads or writes a database.
"""

from __future__ import annotations

from functools import lru_cache

from diplo.events.basic import PartialDate
from diplo.events.declaration import Data, Declaration, Meta, Rows, declaration_of
from diplo.events.directory import Directory, summarize
from diplo.events.rows import add, bounds, independent_sources
from diplo.projections.tables import SOURCES_TABLE

__all__ = ["Line", "Meta", "Rows", "bounds", "derive", "named_parties"]

# A source row's columns, NULL where its source does not say: a writer reads all of a row's
# columns at once (``writer.insert``), and falls back to one by one if any is missing
_UNSAID = dict.fromkeys(SOURCES_TABLE.columns)
Line = tuple[str | None, str | None]  # a timeline row's summary and countries, if known


def derive(
    data: Data,
    meta: Meta,
    directory: Directory,
    known: Line | None = None,
    declaration: Declaration | None = None,
) -> Rows:
    """All view rows of one event. ``known`` is its timeline row's summary and countries
    (comma-separated; None: work them out), when the caller has them already (a rebuild
    has them from the event's ``_log`` row when the log and the views see it alike), as
    ``declaration`` is its type's declaration if the caller has looked it up."""
    declaration = declaration or declaration_of(data["type"])
    if declaration is None or declaration.rows is None:
        return {}
    rows = declaration.rows(data, meta, directory)
    sources = independent_sources(data)
    for table in declaration.tables:
        for row in rows.get(table.name, ()):
            row["sources"] = sources
    for n, source in enumerate(data.get("sources") or [], start=1):
        add(rows, "sources", {**_UNSAID, "key": meta.key, "n": n, **source, "status": meta.status})
    for name in sorted(named_parties(data, declaration.mention_fields)):
        add(rows, "_mentions", {"key": meta.key, "party": name})
    if declaration.on_timeline:
        summary, countries = known or (None, None)
        if summary is None:
            summary = summarize(data, directory)
        if countries is None:
            countries = ",".join(directory.countries_in(data))
        _timeline(data, meta, rows, declaration.codes.cameo_for(data), summary, countries)
    return rows


def named_parties(data: Data, fields: tuple[str, ...]) -> set[str]:
    """Ids of registered parties (not country codes) named in the party fields: their rows
    borrow those parties' names and countries, so correcting a party re-derives them."""
    named: set[str] = set()
    for name in fields:
        value = data.get(name)
        for party in value if isinstance(value, list) else [value]:
            if isinstance(party, str) and not (len(party) == 2 and party.isupper()):
                named.add(party)
    return named


@lru_cache(maxsize=65536)
def _precision(text: str) -> str:
    """Day, month or year (dates repeat: parsed once each, as ``bounds`` does)."""
    return PartialDate(text).precision


def _timeline(
    d: Data, m: Meta, rows: Rows, cameo: str | None, summary: str, countries: str
) -> None:
    earliest, latest, uncertain = bounds(d["occurred_on"])
    add(
        rows,
        "timeline",
        {
            "key": m.key,
            "position": m.position,
            "occurred_on": d["occurred_on"],
            "earliest": earliest,
            "latest": latest,
            "uncertain": uncertain,
            "precision": _precision(d["occurred_on"]),
            "type": d["type"],
            "cameo": cameo,
            "summary": summary,
            "countries": countries,
            "recorded_at": m.recorded_at,
            "status": m.status,
        },
    )
