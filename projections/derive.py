"""Pure functions from one event (its current JSON data) to the view rows it stands for.

Each type's rows come from its declaration (``diplo.events.types``); the timeline row of every
activity and the ``_mentions`` rows (which parties an event names, for the correction cascade)
are derived here for all types alike. Nothing here reads or writes a database.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, cast

from diplo.events.basic import PartialDate
from diplo.events.declaration import Data, Declaration, Meta, Rows, declaration_of, declarations
from diplo.events.directory import Directory, summarize
from diplo.events.envelope import Source
from diplo.events.rows import bounds, independent_sources
from diplo.projections.tables import MENTIONS, SOURCES_TABLE, TIMELINE

__all__ = [
    "Derived",
    "Deriving",
    "Handed",
    "Line",
    "Meta",
    "Rows",
    "bounds",
    "derive",
    "gather",
    "named_parties",
]

# The rows derived here for every type alike (sources, _mentions, timeline) are tuples in
# their tables' column order, as ``writer.insert`` takes them: a rebuild makes millions, and
# column names would be made, sent and read for each. The types' own rows stay dicts.
_SOURCE_FIELDS = tuple(Source.model_fields)  # what a source says; it says nothing else
if (
    tuple(SOURCES_TABLE.columns) != ("key", "n", *_SOURCE_FIELDS, "status")
    or tuple(MENTIONS.columns) != ("key", "party")
    or tuple(TIMELINE.columns)
    != (
        "key",
        "position",
        "occurred_on",
        "earliest",
        "latest",
        "uncertain",
        "precision",
        "type",
        "cameo",
        "summary",
        "countries",
        "recorded_at",
        "status",
    )
):
    raise RuntimeError("derive's rows no longer follow their tables' columns")
Derived = dict[str, list[Any]]  # one event's rows by table: dicts, or tuples (see above)
Line = tuple[str | None, str | None]  # a timeline row's summary and countries, if known
# One event a rebuild hands over to be derived elsewhere (``Deriving.add``): its final data,
# key, position, recorded_at and status, and its timeline summary and countries if known.
Handed = list[Any]


def derive(
    data: Data,
    meta: Meta,
    directory: Directory,
    known: Line | None = None,
    declaration: Declaration | None = None,
    named: set[str] | None = None,
) -> Derived:
    """All view rows of one event. ``known`` is its timeline row's summary and countries
    (comma-separated; None: work them out), when the caller has them already (a rebuild
    has them from the event's ``_log`` row when the log and the views see it alike), as
    ``declaration`` is its type's declaration and ``named`` its ``named_parties`` (of its
    ``mention_fields``) if the caller has looked them up."""
    declaration = declaration or declaration_of(data["type"])
    if declaration is None or declaration.rows is None:
        return {}
    rows = cast(Derived, declaration.rows(data, meta, directory))
    sources = independent_sources(data)
    for table in declaration.tables:
        for row in rows.get(table.name, ()):
            row["sources"] = sources
    key, status = meta.key, meta.status
    if cited := data.get("sources"):
        rows["sources"] = [
            (key, n, *map(source.get, _SOURCE_FIELDS), status)
            for n, source in enumerate(cited, start=1)
        ]
    if named is None:
        named = named_parties(data, declaration.mention_fields)
    if named:
        rows["_mentions"] = [(key, name) for name in sorted(named)]
    if declaration.on_timeline:
        summary, countries = known or (None, None)
        if summary is None:
            summary = summarize(data, directory, declaration)
        if countries is None:
            countries = ",".join(directory.countries_in(data, declaration))
        _timeline(data, meta, rows, declaration.codes.cameo_for(data), summary, countries)
    return rows


def named_parties(data: Data, fields: tuple[str, ...]) -> set[str]:
    """Ids of registered parties (not country codes) named in the party fields: their rows
    borrow those parties' names and countries, so correcting a party re-derives them."""
    named: set[str] = set()
    for name in fields:
        value = data.get(name)
        if value is None:
            continue
        if isinstance(value, str):  # most fields name one party: no list made for it
            if not (len(value) == 2 and value.isupper()):
                named.add(value)
            continue
        for party in value if isinstance(value, list) else ():
            if isinstance(party, str) and not (len(party) == 2 and party.isupper()):
                named.add(party)
    return named


@lru_cache(maxsize=65536)
def _when(text: str) -> tuple[str, str, int, str]:
    """``bounds`` and the precision (day, month or year) of a date: dates repeat, so each
    is parsed once, and a timeline row asks one cache, not two."""
    return (*bounds(text), PartialDate(text).precision)


def _timeline(
    d: Data, m: Meta, rows: Derived, cameo: str | None, summary: str, countries: str
) -> None:
    earliest, latest, uncertain, precision = _when(d["occurred_on"])
    rows["timeline"] = [
        (
            m.key,
            m.position,
            d["occurred_on"],
            earliest,
            latest,
            uncertain,
            precision,
            d["type"],
            cameo,
            summary,
            countries,
            m.recorded_at,
            m.status,
        )
    ]


def gather(tables: Derived, rows: Derived) -> None:
    """Append one event's rows (``derive``'s) to a chunk's, table by table, in log order. A
    table new to the chunk takes the event's list itself, not a copy: ``derive`` makes new
    lists every call, and a rebuild gathers millions."""
    for table, added in rows.items():
        if table in tables:
            tables[table].extend(added)
        else:
            tables[table] = added


class Deriving:
    """Derives the rows of events handed over by a rebuild (``rebuild._Load``) in another
    process: the writer's, when it has time to spare. It keeps a directory of its own, told
    every registration in log order in its final form (those derived here, and those the
    rebuild derived itself, ``learn``), so that it names and places parties as the
    rebuild's directory does at the same event: the rows are the same whoever derives them.
    """

    def __init__(self, iati_org: str) -> None:
        self.directory = Directory(iati_org=iati_org)
        self.declarations = declarations()

    def learn(self, data: Data) -> None:
        """A registration the rebuild derived itself (in its final form)."""
        self.directory.learn(data, self.declarations.get(data["type"]))

    def add(self, item: Handed, tables: Derived) -> None:
        """Append the rows of one handed-over event to ``tables``."""
        final, key, position, recorded_at, status, summary, countries = item
        declaration = self.declarations.get(final["type"])
        if declaration is None or declaration.registers:
            self.directory.learn(final, declaration)
        known = None if summary is None else (summary, countries)
        meta = Meta(key, position, recorded_at, status)
        gather(tables, derive(final, meta, self.directory, known, declaration))
