"""What a reader of a report needs beside the rows: names for ids, and each event's sources."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache
from typing import TYPE_CHECKING, Any, TypeAlias, overload

if TYPE_CHECKING:
    from sqlite_utils import Database

REGISTERED = (("organizations", "org"), ("people", "person"), ("programmes", "programme"))
KEPT = 65_536  # names a report holds at most (about 13 MB): more are read one by one


class Names:
    """The name of each country code and registered id (organisations, people, programmes;
    retracted ones too: a report may still list a row that names them), as a dict's ``get``
    gives it. Codes are upper case and ids lower case, so they never collide.

    Read on first use only (most formats name nothing), and in flat memory: all at once
    while the views register at most ``KEPT`` ids, else one by one, at most ``KEPT`` kept."""

    def __init__(self, db: Database) -> None:
        self.db = db
        # Names by id (None: not registered); with every country's, if ``whole``.
        self.kept: dict[str, str | None] | None = None
        self.whole = False  # whether ``kept`` holds every registered id's name

    @overload
    def get(self, ident: str) -> str | None: ...

    @overload
    def get(self, ident: str, default: str) -> str: ...

    def get(self, ident: str, default: str | None = None) -> str | None:
        if self.kept is None:
            self.whole = _registered(self.db) <= KEPT
            self.kept = {**countries(), **_every_name(self.db)} if self.whole else {}
        if self.whole:  # (asked for every id cell of a table: the short way first)
            found = self.kept.get(ident)
        else:
            if ident not in self.kept:
                if len(self.kept) >= KEPT:
                    self.kept = {}
                self.kept[ident] = _name_of(self.db, ident)
            found = self.kept[ident] or countries().get(ident)
        return default if found is None else found


def names(db: Database) -> Names:
    """The names a report gives its ids and country codes (``Names``)."""
    return Names(db)


def _registered(db: Database) -> int:
    counts = (f'(SELECT COUNT(*) FROM "{table}")' for table, _ in REGISTERED)
    return int(db.execute(f"SELECT {' + '.join(counts)}").fetchone()[0])


def _every_name(db: Database) -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    for table, column in REGISTERED:  # a later table's name wins
        found.update(db.execute(f'SELECT "{column}", name FROM "{table}"').fetchall())
    return found


def _name_of(db: Database, ident: str) -> str | None:
    """One id's name, as ``_every_name`` gives it (the last table registering it)."""
    union = " UNION ALL ".join(
        f'SELECT {rank} AS rank, name FROM "{table}" WHERE "{column}" = :id'
        for rank, (table, column) in enumerate(REGISTERED)
    )
    row = db.execute(f"SELECT name FROM ({union}) ORDER BY rank DESC LIMIT 1", {"id": ident})
    found = row.fetchone()
    return None if found is None else found[0]


Named: TypeAlias = Mapping[str, str] | Names  # what gives a report's ids their names


SOURCE_FIELDS = ("publisher", "title", "url", "author", "published_on", "language")


class Cited:
    """Each event that ``sql`` selects (timeline rows), in valid-time order, with the sources
    it cites and its number of independent sources: distinct publishers, since two articles of
    one agency are one voice. Read afresh on each walk, one event at a time, so a busy pair's
    dossier never holds its sources (a list of them took 129 MB for 33,000 events); its
    length and whether it has any are asked of SQLite."""

    def __init__(self, db: Database, sql: str, params: Any = ()) -> None:
        self.db, self.sql, self.params = db, sql, params

    def __bool__(self) -> bool:
        found = self.db.execute(f"SELECT 1 FROM ({self.sql}) LIMIT 1", self.params)
        return found.fetchone() is not None

    def __len__(self) -> int:
        return int(self.db.execute(f"SELECT COUNT(*) FROM ({self.sql})", self.params).fetchone()[0])

    def __iter__(self) -> Iterator[dict[str, Any]]:
        fields = ", ".join(f"s.{name}" for name in SOURCE_FIELDS)
        cursor = self.db.execute(
            f"SELECT e.key, e.occurred_on, e.type, e.summary, e.status, s.n, {fields} "
            f"FROM ({self.sql}) e LEFT JOIN sources s ON s.key = e.key "
            "ORDER BY e.earliest, e.latest, e.position, s.n",
            self.params,
        )
        event: dict[str, Any] | None = None
        publishers: set[Any] = set()
        for key, occurred_on, kind, summary, status, n, *cited in cursor:
            if event is None or event["key"] != key:
                if event is not None:
                    yield event | {"independent_sources": len(publishers)}
                event = {"key": key, "occurred_on": occurred_on, "type": kind}
                event |= {"summary": summary, "status": status, "sources": []}
                publishers = set()
            if n is not None:  # (None: it cites no source)
                event["sources"].append(_source(dict(zip(SOURCE_FIELDS, cited, strict=True))))
                publishers.add(cited[0])
        if event is not None:
            yield event | {"independent_sources": len(publishers)}


def _source(row: dict[str, Any]) -> dict[str, Any]:
    return {name: row[name] for name in SOURCE_FIELDS if row[name] is not None}


@cache
def countries() -> dict[str, str]:
    """ISO 3166-1 codes and their common names (``KR`` → ``South Korea``)."""
    from diplo.events.basic import iso_countries

    return {c["alpha_2"]: str(c.get("common_name") or c["name"]) for c in iso_countries()}
