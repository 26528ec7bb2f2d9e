"""How facts are stored with eventsourcing: a mapper that stores canonical JSON, and a recorder
that adds an indexed, unique key column and refuses UPDATE and DELETE.

The stored state is ``{"fact": …, "recorded_at": …, "v": schema version}`` as canonical JSON:
the exact bytes that hashes and exports are computed from.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast
from uuid import UUID

from eventsourcing.domain import AggregateCreated, DomainEventProtocol
from eventsourcing.persistence import (
    DatabaseError,
    IntegrityError,
    Mapper,
    OperationalError,
    StoredEvent,
)
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor
from eventsourcing.utils import resolve_topic

from diplo.domain.integrity import chain
from diplo.domain.model.routing import AGGREGATES
from diplo.domain.store.topics import register_aggregates, stable_topic
from diplo.events.catalog import canonical_dict, canonical_json, content_hash, model_for
from diplo.events.envelope import Fact
from diplo.events.upcasting import upcast


@dataclass(frozen=True)
class KeyedStoredEvent(StoredEvent):
    """A stored event that also carries its idempotency key and content hash as columns."""

    key: str = ""
    content_hash: str = ""
    leaf_format: int = chain.CURRENT  # a migrated row keeps the leaf format it was written with


def encode_record(fact: Fact, recorded_at: datetime) -> bytes:
    return canonical_json(
        {
            "fact": canonical_dict(fact),
            "recorded_at": recorded_at.isoformat(),
            "v": fact.SCHEMA_VERSION,
        }
    )


def decode_record(state: bytes) -> tuple[Fact, datetime]:
    """The fact (upcast to the current schema) and when it was recorded."""
    record = json.loads(state)
    data = upcast(record["fact"], record.get("v", 1))
    fact = model_for(data["type"]).model_validate(data)
    return fact, datetime.fromisoformat(record["recorded_at"])


register_aggregates(AGGREGATES)


class FactMapper(Mapper[UUID]):
    """Maps aggregate events (whose only field is ``fact``) to canonical JSON and back."""

    def to_stored_event(self, domain_event: DomainEventProtocol[UUID]) -> StoredEvent:
        fact = cast(Fact, domain_event.fact)  # type: ignore[attr-defined]
        assert fact.key is not None, "facts are keyed before they are recorded"
        return KeyedStoredEvent(
            originator_id=domain_event.originator_id,
            originator_version=domain_event.originator_version,
            topic=stable_topic(type(domain_event)),
            state=encode_record(fact, domain_event.timestamp),
            key=fact.key,
            content_hash=content_hash(fact),
        )

    def to_domain_event(self, stored_event: StoredEvent) -> DomainEventProtocol[UUID]:
        fact, recorded_at = decode_record(stored_event.state)
        cls = resolve_topic(stored_event.topic)
        originator_id = stored_event.originator_id
        state = {
            "originator_id": originator_id
            if isinstance(originator_id, UUID)
            else UUID(originator_id),
            "originator_version": stored_event.originator_version,
            "timestamp": recorded_at,
            "fact": fact,
        }
        if issubclass(cls, AggregateCreated):
            # The creating event is nested in its aggregate class: derive, don't store, its topic.
            state["originator_topic"] = stored_event.topic.rsplit(".", 1)[0]
        domain_event = object.__new__(cls)
        object.__setattr__(domain_event, "__dict__", state)
        return cast(DomainEventProtocol[UUID], domain_event)


def _persistence_error(error: BaseException) -> BaseException:
    """sqlite3 errors as eventsourcing's, so callers handle one family."""
    mapping = [
        (sqlite3.IntegrityError, IntegrityError),
        (sqlite3.OperationalError, OperationalError),
        (sqlite3.DatabaseError, DatabaseError),
    ]
    for raw_class, ours in mapping:
        if isinstance(error, raw_class):
            return ours(error)
    return error


APPEND_ONLY_SQL = [
    "CREATE TRIGGER IF NOT EXISTS {t}_no_update BEFORE UPDATE ON {t} "
    "BEGIN SELECT RAISE(ABORT, 'diplo: stored events are append-only'); END",
    "CREATE TRIGGER IF NOT EXISTS {t}_no_delete BEFORE DELETE ON {t} "
    "BEGIN SELECT RAISE(ABORT, 'diplo: stored events are append-only'); END",
]


@dataclass(frozen=True)
class KeyRow:
    """Where a key is stored: enough to tell skip from conflict and to find the event."""

    key: str
    content_hash: str
    position: int
    originator_id: UUID
    topic: str
    state: bytes


class _SQLiteSession:
    """Stands in for eventsourcing's datastore while a session is open: every transaction
    runs on the session's connection, inside its one open transaction."""

    def __init__(self, datastore: Any, raw: sqlite3.Connection) -> None:
        self._datastore = datastore
        self._raw = raw

    @contextmanager
    def transaction(self, *, commit: bool) -> Iterator[SQLiteCursor]:
        try:
            yield SQLiteCursor(self._raw.cursor())
        except sqlite3.Error as error:
            raise _persistence_error(error) from error

    def __getattr__(self, name: str) -> Any:
        return getattr(self._datastore, name)


class LedgerRecorder(SQLiteApplicationRecorder):
    """eventsourcing's SQLite application recorder, plus a unique key column and triggers."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        t = self.events_table_name
        self.insert_events_statement = (
            f"INSERT INTO {t} (rowid, originator_id, originator_version, topic, state, key, "
            "content_hash, chain) VALUES (?,?,?,?,?,?,?,?)"
        )

    def construct_create_table_statements(self) -> list[str]:
        t = self.events_table_name
        return [
            f"CREATE TABLE IF NOT EXISTS {t} (originator_id TEXT, originator_version INTEGER, "
            "topic TEXT, state BLOB, key TEXT NOT NULL, content_hash TEXT NOT NULL, "
            "chain TEXT NOT NULL, PRIMARY KEY (originator_id, originator_version))",
            f"CREATE UNIQUE INDEX IF NOT EXISTS {t}_key ON {t} (key)",
            *(sql.format(t=t) for sql in APPEND_ONLY_SQL),
        ]

    @contextmanager
    def session(self, *, commit: bool = True) -> Iterator[None]:
        """Hold ONE write transaction open across many inserts, so an import of any size
        commits once (all or nothing) while holding only a chunk in memory.

        ``BEGIN IMMEDIATE`` takes the write lock first, waiting out the busy timeout, so
        concurrent writers queue instead of failing. Until it ends, every read and insert of
        this recorder goes through the session's connection and sees what it wrote so far.
        ``commit=False`` (a dry run) rolls everything back. One thread at a time.
        """
        with self.datastore.get_connection(commit=True) as connection:
            raw = connection._sqlite_conn  # noqa: SLF001 - eventsourcing offers no IMMEDIATE
            shared, self.datastore = self.datastore, _SQLiteSession(self.datastore, raw)
            try:
                raw.execute("BEGIN IMMEDIATE")
                yield
                raw.execute("COMMIT" if commit else "ROLLBACK")
            except BaseException as error:
                if raw.in_transaction:
                    raw.rollback()
                raise _persistence_error(error) from error
            finally:
                self.datastore = shared

    def insert_events(self, stored_events: Any, **kwargs: Any) -> list[int]:
        """Append in the open session, or else in a session of their own."""
        if isinstance(self.datastore, _SQLiteSession):
            with self.datastore.transaction(commit=True) as cursor:
                return self._insert_events(cursor, stored_events)
        with self.session():
            return self.insert_events(stored_events)

    def _insert_events(self, c: SQLiteCursor, stored_events: Any, **_: Any) -> list[int]:
        """Each row's position is given explicitly (head + 1): a v2 leaf commits to it."""
        c.execute(f"SELECT rowid, chain FROM {self.events_table_name} ORDER BY rowid DESC LIMIT 1")
        head = c.fetchone()
        position, link = (head[0], bytes.fromhex(head[1])) if head else (0, chain.GENESIS)
        positions = []
        for s in stored_events:
            position += 1
            link = chain.event_link(link, position, s)
            c.execute(
                self.insert_events_statement,
                (position, s.originator_id.hex, s.originator_version, s.topic, s.state)
                + (s.key, s.content_hash, link.hex()),
            )
            positions.append(position)
        return positions

    def select_keys(self, keys: list[str]) -> dict[str, KeyRow]:
        """The stored rows of those keys that exist."""
        found: dict[str, KeyRow] = {}
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            with self.datastore.transaction(commit=False) as c:
                c.execute(
                    f"SELECT rowid, key, content_hash, originator_id, topic, state "
                    f"FROM {self.events_table_name} WHERE key IN ({marks})",
                    chunk,
                )
                for row in c.fetchall():
                    found[row["key"]] = KeyRow(
                        row["key"],
                        row["content_hash"],
                        row["rowid"],
                        UUID(row["originator_id"]),
                        row["topic"],
                        row["state"],
                    )
        return found

    def existing_streams(self, originator_ids: list[UUID]) -> set[UUID]:
        """Which of these streams hold at least one event."""
        found: set[UUID] = set()
        for start in range(0, len(originator_ids), 500):
            chunk = [i.hex for i in originator_ids[start : start + 500]]
            with self.datastore.transaction(commit=False) as c:
                c.execute(
                    f"SELECT DISTINCT originator_id FROM {self.events_table_name} "
                    f"WHERE originator_id IN ({','.join('?' * len(chunk))})",
                    chunk,
                )
                found.update(UUID(row["originator_id"]) for row in c.fetchall())
        return found

    def scan_page(self, after: int, limit: int) -> list[tuple[Any, ...]]:
        """Raw rows after a position: (position, stream hex, version, topic, state, chain,
        key, content hash). What verify, seal and migrate read: no decoding."""
        with self.datastore.transaction(commit=False) as c:
            c.sqlite_cursor.row_factory = None  # plain tuples: this is verify's hot path
            c.execute(
                f"SELECT rowid, originator_id, originator_version, topic, state, chain, "
                f"key, content_hash FROM {self.events_table_name} WHERE rowid > ? "
                "ORDER BY rowid LIMIT ?",
                (after, limit),
            )
            return c.fetchall()  # type: ignore[no-any-return]

    def recorded_ats(self) -> list[tuple[int, str]]:
        """(position, recorded_at) of every event, read inside the stored JSON."""
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                f"SELECT rowid, json_extract(CAST(state AS TEXT), '$.recorded_at') "
                f"FROM {self.events_table_name} ORDER BY rowid"
            )
            return [(row[0], row[1]) for row in c.fetchall()]

    def stream_exists(self, originator_id: UUID) -> bool:
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                f"SELECT 1 FROM {self.events_table_name} WHERE originator_id=? LIMIT 1",
                (originator_id.hex,),
            )
            return c.fetchone() is not None
