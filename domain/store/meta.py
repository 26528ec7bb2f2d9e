"""What a ledger says about itself beside its events: its id, the chain value at a position,
and who is recording.

The id binds derived files (the views) to the one ledger they were built from. ``diplo init``
mints it (a random UUID) into a small table, ``diplo_meta``, that refuses UPDATE and DELETE
like the events table. A ledger made before the table existed gets no table and no write:
its id is derived from the ``chain`` value of its first stored row, which the hash chain
covers and which can never change. So an old ledger needs no migration step, keeps one id
for ever (in every copy, read-only ones included), and two ledgers share an id only if their
first rows are the same bytes, recorded at the same moment.

Plain SQL through the recorder's own datastore, for both stores, so the recorders need not
know about it.
"""

from __future__ import annotations

import os
import pwd
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from diplo.domain.app.ledger import Ledger


class Holder(Protocol):
    """What the store's helpers need of an application: its store and its settings (so the
    store layer does not depend on the application that holds it)."""

    @property
    def recorder(self) -> Any: ...

    @property
    def env(self) -> Any: ...


META = "diplo_meta"
LEDGER_ID = "ledger_id"

_SQLITE_CREATE = [
    f"CREATE TABLE IF NOT EXISTS {META} (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
    f"CREATE TRIGGER IF NOT EXISTS {META}_no_update BEFORE UPDATE ON {META} "
    "BEGIN SELECT RAISE(ABORT, 'diplo: the ledger id is fixed'); END",
    f"CREATE TRIGGER IF NOT EXISTS {META}_no_delete BEFORE DELETE ON {META} "
    "BEGIN SELECT RAISE(ABORT, 'diplo: the ledger id is fixed'); END",
]
_POSTGRES_CREATE = [
    "CREATE TABLE IF NOT EXISTS {schema}.{meta} (name text PRIMARY KEY, value text NOT NULL)",
    "CREATE OR REPLACE FUNCTION {schema}.diplo_meta_fixed() RETURNS trigger LANGUAGE plpgsql "
    "AS $$ BEGIN RAISE EXCEPTION 'diplo: the ledger id is fixed'; END; $$",
    "CREATE OR REPLACE TRIGGER diplo_meta_fixed BEFORE UPDATE OR DELETE ON {schema}.{meta} "
    "FOR EACH ROW EXECUTE FUNCTION {schema}.diplo_meta_fixed()",
    "CREATE OR REPLACE TRIGGER diplo_meta_no_truncate BEFORE TRUNCATE ON {schema}.{meta} "
    "FOR EACH STATEMENT EXECUTE FUNCTION {schema}.diplo_meta_fixed()",
]


def is_postgres_ledger(ledger: Holder) -> bool:
    return ledger.env.get("PERSISTENCE_MODULE") == "eventsourcing.postgres"


def mint_ledger_id(ledger: Ledger) -> str:
    """Give a new, empty ledger its id (``diplo init``); an existing id is kept, and a ledger
    that already holds events keeps the id derived from its first row."""
    known = _stored_id(ledger)
    if known or ledger.head():
        return known or ledger_id(ledger)
    if is_postgres_ledger(ledger):
        from psycopg.sql import SQL, Identifier

        names = {"schema": Identifier(schema_of(ledger)), "meta": Identifier(META)}
        statements: list[Any] = [SQL(s).format(**names) for s in _POSTGRES_CREATE]
        insert: Any = SQL(
            "INSERT INTO {schema}.{meta} VALUES (%s, %s) ON CONFLICT DO NOTHING"
        ).format(**names)
    else:
        statements = list(_SQLITE_CREATE)
        insert = f"INSERT OR IGNORE INTO {META} VALUES (?, ?)"
    with ledger.recorder.datastore.transaction(commit=True) as cursor:
        for statement in statements:
            cursor.execute(statement)
        import uuid

        cursor.execute(insert, (LEDGER_ID, str(uuid.uuid4())))
    return ledger_id(ledger)


def ledger_id(ledger: Holder) -> str:
    """The ledger's id: minted at ``init``, else derived from its first row ("" while an old
    ledger is still empty: there is nothing yet to bind to)."""
    known = _stored_id(ledger)
    if known:
        return known
    first = chain_at(ledger, 1)
    if first is None:
        return ""
    import hashlib  # here: a read that finds a stored id (most) needs neither
    import uuid

    digest = hashlib.sha256(b"diplo ledger id\n" + first.encode()).digest()
    return str(uuid.UUID(bytes=digest[:16]))


def chain_at(ledger: Holder, position: int) -> str | None:
    """The stored ``chain`` value of the row at ``position`` (None if there is no such row)."""
    if is_postgres_ledger(ledger):
        from psycopg.sql import SQL, Identifier

        statement: Any = SQL("SELECT chain FROM {}.{} WHERE notification_id = %s").format(
            Identifier(schema_of(ledger)), Identifier(ledger.recorder.events_table_name)
        )
    else:
        statement = f"SELECT chain FROM {ledger.recorder.events_table_name} WHERE rowid = ?"
    row = _one(ledger, statement, (position,))
    return None if row is None else str(row["chain"])


def recorder_name(ledger: Ledger | None = None) -> str:
    """Who is recording: on PostgreSQL the session's role (``current_user``), which the server
    authenticated; otherwise the operating system's user of this process, looked up by user
    id, so that setting ``USER`` or ``LOGNAME`` cannot change it."""
    if ledger is not None and is_postgres_ledger(ledger):
        row = _one(ledger, "SELECT current_user AS name", ())
        if row is not None:
            return str(row["name"])
    uid = os.getuid()
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:  # a user id without a name (some containers)
        return f"uid {uid}"


def _stored_id(ledger: Holder) -> str:
    if is_postgres_ledger(ledger):
        from psycopg.sql import SQL, Identifier

        found = _one(ledger, "SELECT to_regclass(%s) AS found", (f'"{schema_of(ledger)}".{META}',))
        if found is None or found["found"] is None:
            return ""
        statement: Any = SQL("SELECT value FROM {}.{} WHERE name = %s").format(
            Identifier(schema_of(ledger)), Identifier(META)
        )
        row = _one(ledger, statement, (LEDGER_ID,))
    else:
        exists = _one(
            ledger,
            "SELECT 1 AS found FROM sqlite_master WHERE type = 'table' AND name = ?",
            (META,),
        )
        row = exists and _one(ledger, f"SELECT value FROM {META} WHERE name = ?", (LEDGER_ID,))
    return str(row["value"]) if row else ""


def _one(ledger: Holder, statement: Any, params: tuple[Any, ...]) -> Any:
    with ledger.recorder.datastore.transaction(commit=False) as cursor:
        cursor.execute(statement, params)
        return cursor.fetchone()


def schema_of(ledger: Holder) -> str:
    """The PostgreSQL schema the ledger's tables are in."""
    datastore: Any = ledger.recorder.datastore  # typed as SQLite's: the default recorder
    return str(datastore.schema)
