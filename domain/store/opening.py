"""Opening a ledger from ``--store``: a SQLite file path (default ``ledger.db``) or a
PostgreSQL URL (``postgresql://user@host:port/db``, optionally ``?schema=name``)."""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from diplo.domain.app.ledger import Ledger
from diplo.domain.errors import StoreError

DEFAULT_STORE = "ledger.db"


def resolve_store(store: str | None) -> str:
    """``--store``, else ``DIPLO_STORE``, else ``ledger.db`` in the current directory."""
    return store or os.environ.get("DIPLO_STORE") or DEFAULT_STORE


def is_postgres(location: str) -> bool:
    return location.startswith(("postgres://", "postgresql://"))


def open_ledger(store: str | None = None, *, create: bool = False) -> Ledger:
    """Open the ledger at ``store``; create it only when asked (``diplo init``)."""
    location = resolve_store(store)
    env = (
        _postgres_env(location, create) if is_postgres(location) else _sqlite_env(location, create)
    )
    env["CREATE_TABLE"] = "y" if create else "n"
    try:
        ledger = Ledger(env=env)
    except Exception as error:  # eventsourcing wraps driver errors in several classes
        raise StoreError(f"cannot open the ledger at {_redacted(location)}: {error}") from None
    ledger.location = location
    return ledger


def _sqlite_env(location: str, create: bool) -> dict[str, str]:
    path = Path(location)
    if not create:
        _require_sqlite_ledger(path)
    elif path.parent and not path.parent.exists():
        raise StoreError(f"cannot create {path}: folder {path.parent} does not exist")
    return {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(path)}


def _require_sqlite_ledger(path: Path) -> None:
    if not path.exists():
        raise StoreError(
            f"no ledger at {path}; create one with `diplo init` "
            "(or point --store / DIPLO_STORE at an existing one)"
        )
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
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


def _postgres_env(location: str, create: bool) -> dict[str, str]:
    url = urlsplit(location)
    schema = parse_qs(url.query).get("schema", ["public"])[0]
    env = {
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
    _prepare_postgres(env, location, create)
    return env


def _prepare_postgres(env: dict[str, str], location: str, create: bool) -> None:
    """Create the schema for ``init``; otherwise require an existing ledger."""
    import psycopg
    from psycopg import sql

    from diplo.domain.store.postgres import TABLE, pg_connect

    try:
        with pg_connect(
            env,
            connect_timeout=10,
            autocommit=True,
        ) as conn:
            schema = env["POSTGRES_SCHEMA"]
            if create:
                conn.execute(
                    sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema))
                )
                return
            found = conn.execute("SELECT to_regclass(%s)", (f'"{schema}".{TABLE}',))
            if found.fetchone()[0] is None:  # type: ignore[index]
                raise StoreError(
                    f"no ledger at {_redacted(location)}; create one with `diplo init`"
                )
    except psycopg.Error as error:
        raise StoreError(
            f"cannot connect to PostgreSQL at {_redacted(location)}: {str(error).strip()}"
        ) from None


def _redacted(location: str) -> str:
    url = urlsplit(location)
    if url.password:
        return location.replace(f":{url.password}@", ":***@")
    return location
