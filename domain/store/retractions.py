"""Which streams hold a retraction: asked once per chunk of an import, so that checking that
no new event names a retracted organisation, person or programme loads only the few
aggregates that could be one, not every aggregate an import refers to."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from diplo.domain.store.meta import Holder, is_postgres_ledger, schema_of
from diplo.domain.store.topics import topics_named

PAGE = 500


def streams_with_retractions(ledger: Holder, streams: list[UUID]) -> set[UUID]:
    """Those of ``streams`` in which some event was retracted (by the primary key index)."""
    topics = topics_named("Entity.EventRetracted")  # by name: no aggregate class is built
    found: set[UUID] = set()
    for start in range(0, len(streams), PAGE):
        page = streams[start : start + PAGE]
        with ledger.recorder.datastore.transaction(commit=False) as cursor:
            cursor.execute(*_query(ledger, page, topics))
            found.update(_uuid(row["originator_id"]) for row in cursor.fetchall())
    return found


def all_streams_with_retractions(ledger: Holder) -> set[UUID]:
    """Every stream in which some event was retracted (a scan of the log: for an import that
    reads all the store's streams once instead of asking chunk by chunk, Known.take_stock)."""
    topics = topics_named("Entity.EventRetracted")
    table = ledger.recorder.events_table_name
    with ledger.recorder.datastore.transaction(commit=False) as cursor:
        if is_postgres_ledger(ledger):
            from psycopg.sql import SQL, Identifier

            statement: Any = SQL(
                "SELECT DISTINCT originator_id FROM {}.{} WHERE topic = ANY(%s)"
            ).format(Identifier(schema_of(ledger)), Identifier(table))
            cursor.execute(statement, (topics,))
        else:
            marks = ",".join("?" * len(topics))
            cursor.execute(
                f"SELECT DISTINCT originator_id FROM {table} WHERE topic IN ({marks})", topics
            )
        return {_uuid(row["originator_id"]) for row in cursor.fetchall()}


def _query(ledger: Holder, page: list[UUID], topics: list[str]) -> tuple[Any, tuple[Any, ...]]:
    table = ledger.recorder.events_table_name
    if is_postgres_ledger(ledger):
        from psycopg.sql import SQL, Identifier

        statement = SQL(
            "SELECT DISTINCT originator_id FROM {}.{} "
            "WHERE originator_id = ANY(%s) AND topic = ANY(%s)"
        ).format(Identifier(schema_of(ledger)), Identifier(table))
        return statement, (page, topics)
    marks, topic_marks = ",".join("?" * len(page)), ",".join("?" * len(topics))
    return (
        f"SELECT DISTINCT originator_id FROM {table} "
        f"WHERE originator_id IN ({marks}) AND topic IN ({topic_marks})",
        (*(s.hex for s in page), *topics),
    )


def _uuid(value: UUID | str) -> UUID:
    return value if isinstance(value, UUID) else UUID(value)
