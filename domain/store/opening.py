"""Opening a ledger from ``--store``: a SQLite file path (default ``ledger.db``) or a
PostgreSQL URL (``postgresql://user@host:port/db``, optionally ``?schema=name``).

A SQLite name is a file path, taken literally: ``#``, ``?`` and ``%`` are ordinary characters
of a file name, so ``init`` and every later command accept them alike. SQLite's own URI names
(``file:…``) and in-memory databases are refused: a URI names a different file than the text
says, and an in-memory database is gone when the command ends, so neither can hold a ledger.
"""

from __future__ import annotations

import os
import re
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, quote, unquote, urlsplit

from diplo.domain.errors import StoreError

if TYPE_CHECKING:
    from diplo.domain.app.ledger import Ledger

DEFAULT_STORE = "ledger.db"
# What eventsourcing's PostgreSQL recorder can name unquoted (it composes type names from it).
SCHEMA_NAME = re.compile(r"[a-z_][a-z0-9_$]{0,62}")


def resolve_store(store: str | None) -> str:
    """``--store``, else ``DIPLO_STORE``, else ``ledger.db`` in the current directory."""
    return store or os.environ.get("DIPLO_STORE") or DEFAULT_STORE


def is_postgres(location: str) -> bool:
    return location.startswith(("postgres://", "postgresql://"))


def open_ledger(store: str | None = None, *, create: bool = False) -> Ledger:
    """Open the ledger at ``store``; create it only when asked (``diplo init``), and then give
    it its id (see ``domain.store.meta``)."""
    location = resolve_store(store)
    if is_postgres(location):
        env = _postgres_env(location)
        created_schema = _prepare_postgres(env, location, create)
    else:
        env, created_schema = _sqlite_env(location, create), None
    try:
        ledger = _ledger(env, location, create)
    except StoreError:
        if created_schema:
            _drop_schema(env, created_schema)
        raise
    ledger.location = location
    return ledger


def _ledger(env: dict[str, str], location: str, create: bool) -> Ledger:
    # eventsourcing's Application costs a read that finds its views current most of its time
    from diplo.domain.app.ledger import Ledger
    from diplo.domain.store.meta import mint_ledger_id

    env["CREATE_TABLE"] = "y" if create else "n"
    try:
        ledger = Ledger(env=env)
    except Exception as error:  # eventsourcing wraps driver errors in several classes
        raise StoreError(
            f"cannot open the ledger at {_redacted(location)}: {_first(error)}"
        ) from None
    if create:
        try:
            mint_ledger_id(ledger)
        except Exception as error:
            ledger.close()
            raise StoreError(
                f"cannot create the ledger at {_redacted(location)}: {_first(error)}"
            ) from None
    return ledger


def _first(error: BaseException) -> str:
    """The first line of a driver's message (PostgreSQL adds LINE/CONTEXT lines after it)."""
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


def _sqlite_env(location: str, create: bool) -> dict[str, str]:
    _refuse_sqlite_uri(location)
    path = Path(location)
    if not create:
        _require_sqlite_ledger(path)
    elif path.parent and not path.parent.exists():
        raise StoreError(f"cannot create {path}: folder {path.parent} does not exist")
    return {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(path)}


def _refuse_sqlite_uri(location: str) -> None:
    # eventsourcing opens SQLite with uri=True and treats any name containing these as memory.
    if location.startswith("file:") or ":memory:" in location or "mode=memory" in location:
        kind = (
            "an in-memory SQLite database, which is gone when the command ends"
            if ":memory:" in location or "mode=memory" in location
            else "a SQLite URI"
        )
        raise StoreError(
            f"{location!r} is {kind}; a ledger must be a file: give its path "
            "(write ./NAME for a file whose name starts with 'file:')"
        )


def _require_sqlite_ledger(path: Path) -> None:
    if not path.exists():
        raise StoreError(
            f"no ledger at {path}; create one with `diplo init` "
            "(or point --store / DIPLO_STORE at an existing one)"
        )
    try:
        with closing(sqlite3.connect(read_only_uri(path), uri=True)) as db:
            found = db.execute("SELECT 1 FROM sqlite_master WHERE name='stored_events'").fetchone()
    except sqlite3.DatabaseError as error:
        folder = path.parent if str(path.parent) else Path(".")
        if not os.access(folder, os.W_OK) or not os.access(path, os.W_OK):
            raise StoreError(
                f"cannot open the ledger at {path}: its folder or file is "
                "read-only (SQLite needs to write its log beside the file)"
            ) from None
        raise StoreError(f"{path} is not a diplo ledger: {error}") from None
    if not found:
        raise StoreError(f"{path} is not a diplo ledger (no stored_events table)")


def read_only_uri(path: Path) -> str:
    """A SQLite URI that opens ``path`` read-only, whatever characters its name holds."""
    return f"file:{quote(str(path.absolute()))}?mode=ro"


def _postgres_env(location: str) -> dict[str, str]:
    url = urlsplit(location)
    schema = parse_qs(url.query).get("schema", ["public"])[0]
    return {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "APPLICATION_RECORDER_TOPIC": "diplo.domain.store.postgres:LedgerPostgresRecorder",
        "POSTGRES_DBNAME": url.path.lstrip("/") or "postgres",
        "POSTGRES_HOST": url.hostname or "127.0.0.1",
        "POSTGRES_PORT": str(url.port or 5432),
        "POSTGRES_USER": unquote(url.username or "postgres"),
        "POSTGRES_PASSWORD": unquote(url.password or ""),
        "POSTGRES_SCHEMA": schema,
        "POSTGRES_CONNECT_TIMEOUT": "10",
        "POSTGRES_LOCK_TIMEOUT": "60",
        # An import holds one transaction while it checks each chunk: not "idle" for 5 s.
        "POSTGRES_IDLE_IN_TRANSACTION_SESSION_TIMEOUT": "600",
    }


def _prepare_postgres(env: dict[str, str], location: str, create: bool) -> str | None:
    """Create the schema for ``init`` (return its name if this call created it, so a failed
    ``init`` can drop it again); otherwise require an existing ledger."""
    import psycopg
    from psycopg import sql

    from diplo.domain.store.postgres import TABLE, pg_connect

    schema = env["POSTGRES_SCHEMA"]
    if create and not SCHEMA_NAME.fullmatch(schema):
        raise StoreError(
            f"cannot create a ledger in schema {schema!r}: a schema name must be lowercase "
            "letters, digits, _ or $ (up to 63, not starting with a digit)"
        )
    try:
        with pg_connect(env, connect_timeout=10, autocommit=True) as conn:
            if create:
                existed = conn.execute(
                    "SELECT 1 FROM pg_namespace WHERE nspname = %s", (schema,)
                ).fetchone()
                conn.execute(
                    sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema))
                )
                return None if existed else schema
            found = conn.execute("SELECT to_regclass(%s)", (f'"{schema}".{TABLE}',))
            if found.fetchone()[0] is None:  # type: ignore[index]
                raise StoreError(
                    f"no ledger at {_redacted(location)}; create one with `diplo init`"
                )
    except psycopg.Error as error:
        raise StoreError(
            f"cannot connect to PostgreSQL at {_redacted(location)}: {_first(error)}"
        ) from None
    return None


def _drop_schema(env: dict[str, str], schema: str) -> None:
    """Undo a failed ``init``: drop the schema it created (never one that existed before)."""
    import psycopg
    from psycopg import sql

    from diplo.domain.store.postgres import pg_connect

    try:
        with pg_connect(env, connect_timeout=10, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))
    except psycopg.Error:
        pass  # the error that made init fail is the one to report


def _redacted(location: str) -> str:
    url = urlsplit(location)
    if url.password:
        return location.replace(f":{url.password}@", ":***@")
    return location
