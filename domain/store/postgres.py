"""The PostgreSQL store: eventsourcing's PostgreSQL recorder (psycopg 3) with the same extra
columns (key, content hash, chain) and append-only triggers as the SQLite one.

Positions are assigned here, under eventsourcing's EXCLUSIVE table lock, as head + 1: a
``bigserial`` would leave a gap whenever a transaction rolls back (a key conflict, say), and a
gap in the log is what `diplo verify` must report as a deleted row.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from uuid import UUID

import psycopg
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from psycopg.sql import SQL, Identifier

from diplo.domain.integrity import chain
from diplo.domain.store.interface import KeyRow, ScanRow, require_keys
from diplo.domain.store.sessions import SessionRecorder, chunked

TABLE = "ledger_events"  # eventsourcing names it after the application (Ledger)


def pg_connect(env: dict[str, Any], **options: Any) -> psycopg.Connection[Any]:
    """A direct psycopg connection to the ledger's server, from the ledger's environment."""
    return psycopg.connect(
        dbname=env["POSTGRES_DBNAME"],
        host=env["POSTGRES_HOST"],
        port=int(env["POSTGRES_PORT"]),
        user=env["POSTGRES_USER"],
        password=env["POSTGRES_PASSWORD"] or None,
        **options,
    )


class _PostgresSession:
    """Stands in for eventsourcing's datastore in the thread whose session is open: every
    statement runs on the session's connection, inside its one open transaction."""

    def __init__(self, datastore: PostgresDatastore, conn: psycopg.Connection[Any]) -> None:
        self._datastore = datastore
        self._conn = conn

    @contextmanager
    def get_connection(self) -> Iterator[psycopg.Connection[Any]]:
        yield self._conn

    @contextmanager
    def transaction(self, *, commit: bool = False) -> Iterator[Any]:
        with self._conn.transaction(force_rollback=not commit):  # a savepoint
            yield self._conn.cursor()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._datastore, name)


class LedgerPostgresRecorder(SessionRecorder, PostgresApplicationRecorder):
    """eventsourcing's PostgreSQL application recorder, plus the ledger's columns and triggers."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = {
            "schema": Identifier(self.datastore.schema),
            "table": Identifier(self.events_table_name),
            "key_index": Identifier(f"{self.events_table_name}_key"),
        }
        self.sql_create_statements[self.create_table_statement_index] = SQL(
            "CREATE TABLE IF NOT EXISTS {schema}.{table} ("
            "originator_id uuid NOT NULL, originator_version bigint NOT NULL, topic text, "
            "state bytea, notification_id bigint NOT NULL, key text NOT NULL, "
            "content_hash text NOT NULL, chain text NOT NULL, "
            "PRIMARY KEY (originator_id, originator_version))"
        ).format(**names)
        self.sql_create_statements += [
            SQL(sql).format(**names)
            for sql in (
                "CREATE UNIQUE INDEX IF NOT EXISTS {key_index} ON {schema}.{table} (key)",
                "CREATE OR REPLACE FUNCTION {schema}.diplo_append_only() RETURNS trigger "
                "LANGUAGE plpgsql AS $$ BEGIN "
                "RAISE EXCEPTION 'diplo: stored events are append-only'; END; $$",
                "CREATE OR REPLACE TRIGGER diplo_append_only BEFORE UPDATE OR DELETE ON "
                "{schema}.{table} FOR EACH ROW EXECUTE FUNCTION {schema}.diplo_append_only()",
                "CREATE OR REPLACE TRIGGER diplo_no_truncate BEFORE TRUNCATE ON {schema}.{table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION {schema}.diplo_append_only()",
            )
        ]
        self.table = SQL("{schema}.{table}").format(**names)

    @contextmanager
    def _open_session(
        self, shared: PostgresDatastore, *, commit: bool
    ) -> Iterator[_PostgresSession]:
        """The EXCLUSIVE table lock is taken first and held to the end: writers in other
        processes queue, readers do not wait."""
        with shared.get_connection() as conn, conn.transaction(force_rollback=not commit):
            with conn.cursor() as curs:
                self._lock_table(curs)
            yield _PostgresSession(shared, conn)

    def insert_events(self, stored_events: Any, **kwargs: Any) -> list[int]:
        """Append in this thread's open session, or else in a session of their own.
        (``stored_events``: KeyedStoredEvent only, which ``require_keys`` checks.)"""
        require_keys(stored_events)
        if not self.in_session():
            with self.session():
                return self.insert_events(stored_events)
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(
                SQL(
                    "SELECT notification_id, chain FROM {} ORDER BY notification_id DESC LIMIT 1"
                ).format(self.table)
            )
            head = curs.fetchone()
            position = head["notification_id"] if head else 0
            link = bytes.fromhex(head["chain"]) if head else chain.GENESIS
            rows, positions = [], []
            for s in stored_events:
                position += 1
                link = chain.event_link(link, position, s)
                rows.append(
                    (
                        s.originator_id,
                        s.originator_version,
                        s.topic,
                        s.state,
                        position,
                        s.key,
                        s.content_hash,
                        link.hex(),
                    )
                )
                positions.append(position)
            # COPY, not one INSERT per row: the same rows, the same constraints and triggers,
            # a tenth of the round trips' time for a chunk of an import.
            with curs.copy(
                SQL(
                    "COPY {} (originator_id, originator_version, topic, state, "
                    "notification_id, key, content_hash, chain) FROM STDIN"
                ).format(self.table)
            ) as copy:
                for row in rows:
                    copy.write_row(row)
        return positions

    def _query(self, statement: Any, params: Any = ()) -> list[Any]:
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(statement, params)
            return curs.fetchall()

    def select_keys(self, keys: list[str]) -> dict[str, KeyRow]:
        found: dict[str, KeyRow] = {}
        for chunk in chunked(keys, 1000):
            for r in self._query(
                SQL(
                    "SELECT notification_id, key, content_hash, originator_id, topic, state "
                    "FROM {} WHERE key = ANY(%s)"
                ).format(self.table),
                (list(chunk),),
            ):
                found[r["key"]] = KeyRow(
                    r["key"],
                    r["content_hash"],
                    r["notification_id"],
                    r["originator_id"],
                    r["topic"],
                    bytes(r["state"]),
                )
        return found

    def existing_streams(self, originator_ids: list[UUID]) -> set[UUID]:
        found: set[UUID] = set()
        for chunk in chunked(originator_ids, 1000):
            found.update(
                r["originator_id"]
                for r in self._query(
                    SQL(
                        "SELECT DISTINCT originator_id FROM {} WHERE originator_id = ANY(%s)"
                    ).format(self.table),
                    (list(chunk),),
                )
            )
        return found

    def all_keys(self) -> list[str]:
        return [r["key"] for r in self._query(SQL("SELECT key FROM {}").format(self.table))]

    def all_streams(self) -> set[UUID]:
        query = SQL("SELECT DISTINCT originator_id FROM {}").format(self.table)
        return {r["originator_id"] for r in self._query(query, ())}

    def stream_exists(self, originator_id: UUID) -> bool:
        return bool(self.existing_streams([originator_id]))

    def scan_page(self, after: int, limit: int) -> list[ScanRow]:
        return [
            (
                r["notification_id"],
                r["originator_id"].hex,
                r["originator_version"],
                r["topic"],
                bytes(r["state"]),
                r["chain"],
                r["key"],
                r["content_hash"],
            )
            for r in self._query(
                SQL(
                    "SELECT notification_id, originator_id, originator_version, topic, state, "
                    "chain, key, content_hash FROM {} WHERE notification_id > %s "
                    "ORDER BY notification_id LIMIT %s"
                ).format(self.table),
                (after, limit),
            )
        ]

    def recorded_ats(self) -> list[tuple[int, str]]:
        return [
            (r["notification_id"], r["recorded_at"])
            for r in self._query(
                SQL(
                    "SELECT notification_id, convert_from(state, 'UTF8')::json->>'recorded_at' "
                    "AS recorded_at FROM {} ORDER BY notification_id"
                ).format(self.table)
            )
        ]
