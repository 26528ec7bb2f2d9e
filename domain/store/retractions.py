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
    found: set[UUID] = set()
    for start in range(0, len(streams), PAGE):
        found |= _retracted(ledger, streams[start : start + PAGE])
    return found


def all_streams_with_retractions(ledger: Holder) -> set[UUID]:
    """Every stream in which some event was retracted (a scan of the log: for an import that
    reads all the store's streams once instead of asking chunk by chunk, Known.take_stock)."""
    return _retracted(ledger, None)


def _retracted(ledger: Holder, page: list[UUID] | None) -> set[UUID]:
    """Those of ``page`` (None: of the whole log) in which some event was retracted."""
    topics = topics_named("Entity.EventRetracted")  # by name: no aggregate class is built
    with ledger.recorder.datastore.transaction(commit=False) as cursor:
        cursor.execute(*_query(ledger, page, topics))
        return {_uuid(row["originator_id"]) for row in cursor.fetchall()}


def _query(
    ledger: Holder, page: list[UUID] | None, topics: list[str]
) -> tuple[Any, tuple[Any, ...]]:
    table = ledger.recorder.events_table_name
    if is_postgres_ledger(ledger):
        from psycopg.sql import SQL, Identifier

        among = SQL("originator_id = ANY(%s) AND " if page is not None else "")
        statement = SQL("SELECT DISTINCT originator_id FROM {}.{} WHERE {}topic = ANY(%s)")
        query = statement.format(Identifier(schema_of(ledger)), Identifier(table), among)
        return query, ((page, topics) if page is not None else (topics,))
    where, parameters = f"topic IN ({','.join('?' * len(topics))})", tuple(topics)
    if page is not None:
        where = f"originator_id IN ({','.join('?' * len(page))}) AND {where}"
        parameters = (*(stream.hex for stream in page), *topics)
    return f"SELECT DISTINCT originator_id FROM {table} WHERE {where}", parameters


def _uuid(value: UUID | str) -> UUID:
    return value if isinstance(value, UUID) else UUID(value)
