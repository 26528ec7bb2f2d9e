"""What a reader of a report needs beside the rows: names for ids, and each event's sources."""

from __future__ import annotations

import json
from collections import defaultdict
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlite_utils import Database

REGISTERED = (("organizations", "org"), ("people", "person"), ("programmes", "programme"))


def names(db: Database) -> dict[str, str]:
    """The name of every country code and registered id (organisations, people, programmes;
    retracted ones too: a report may still list a row that names them). Codes are upper case
    and ids lower case, so they never collide."""
    found = countries()
    for table, column in REGISTERED:
        found.update(db.execute(f'SELECT "{column}", name FROM "{table}"').fetchall())
    return found


def sources(db: Database, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``events`` (timeline rows) in their order, each with the sources it cites and its
    number of independent sources: distinct publishers, since two articles of one agency
    are one voice."""
    cited: dict[str, list[dict[str, Any]]] = defaultdict(list)
    keys = json.dumps([event["key"] for event in events])
    for row in db.query(
        "SELECT * FROM sources WHERE key IN (SELECT value FROM json_each(:keys)) ORDER BY key, n",
        {"keys": keys},
    ):
        cited[row["key"]].append(row)
    return [
        {
            "key": event["key"],
            "occurred_on": event["occurred_on"],
            "type": event["type"],
            "summary": event["summary"],
            "status": event["status"],
            "sources": [_source(s) for s in cited[event["key"]]],
            "independent_sources": len({s["publisher"] for s in cited[event["key"]]}),
        }
        for event in events
    ]


def _source(row: dict[str, Any]) -> dict[str, Any]:
    fields = ("publisher", "title", "url", "author", "published_on", "language")
    return {name: row[name] for name in fields if row[name] is not None}


def countries() -> dict[str, str]:
    """ISO 3166-1 codes and their common names (``KR`` → ``South Korea``)."""
    from diplo.events.basic import iso_countries

    return {c["alpha_2"]: str(c.get("common_name") or c["name"]) for c in iso_countries()}
