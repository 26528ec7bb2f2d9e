"""The views database (sqlite-utils): rows and the tracking position written in one transaction.

It is an eventsourcing ``TrackingRecorder``: a chunk of notifications is applied only if it
starts right after the tracked position, so a replayed event is refused, never counted twice.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eventsourcing.persistence import IntegrityError, Notification, Tracking, TrackingRecorder
from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from diplo.domain.model.timeaxis import happened_by
from diplo.domain.store.records import decode_data
from diplo.events.declaration import declarations
from diplo.events.directory import Directory
from diplo.projections.binding import Binding
from diplo.projections.derive import Meta, Rows, derive
from diplo.projections.refresh import Touched
from diplo.projections.tables import BY_NAME, DERIVED, TABLES, create_sql, datasette_metadata
from diplo.projections.tally import Tally

if TYPE_CHECKING:
    from diplo.domain.app.ledger import Ledger

APPLICATION = "diplo"
# Events that amend an earlier one's rows: corrections, retractions, and corroborations (which
# add sources). They are applied to their target's rows, never derived as activity.
CORRECTIONS = ("EventCorrected", "EventRetracted", "EventCorroborated")


def changes_of(data: dict[str, Any]) -> dict[str, Any]:
    """What an amending event changes in its target's data."""
    if data["type"] == "EventCorroborated":
        return {"sources": data["sources"]}
    return dict(data.get("changes") or {})


migrations = Migrations("diplo-views")


@migrations()
def m001_tables(db: Database) -> None:
    """The bookkeeping tables; the views tables and their column descriptions are made by
    ``_ensure_layout`` (for a new file as for one of an older layout)."""
    db.execute("CREATE TABLE IF NOT EXISTS _tracking (name TEXT PRIMARY KEY, position INTEGER)")
    db.execute("CREATE TABLE IF NOT EXISTS _scope (name TEXT PRIMARY KEY, value TEXT)")
    db.execute(
        'CREATE TABLE IF NOT EXISTS _columns ("table", "column", description, '
        'PRIMARY KEY ("table", "column"))'
    )


@migrations()
def m002_binding(db: Database) -> None:
    """Which ledger the rows come from, and its chain value at the tracked position."""
    db.execute("CREATE TABLE IF NOT EXISTS _binding (name TEXT PRIMARY KEY, value TEXT)")


class Views(TrackingRecorder):
    """Projections of the ledger, in one SQLite file."""

    def __init__(self, path: str, *, fast: bool = False) -> None:
        self._ledger_id: str | None = None
        _write_datasette_metadata(path)
        self.db = Database(path)
        self.db.execute("PRAGMA busy_timeout=60000")  # other processes may be catching up too
        self.db.execute("PRAGMA journal_mode=" + ("OFF" if fast else "WAL"))
        self.db.execute("PRAGMA synchronous=" + ("OFF" if fast else "NORMAL"))
        migrations.apply(self.db)
        _ensure_layout(self.db)
        self.directory = Directory()
        for declaration in declarations().values():
            if declaration.registers:
                for row in self.db[declaration.tables[0].name].rows:
                    self.directory.learn({"type": declaration.name, **row})

    def close(self) -> None:
        self.db.close()

    def binding(self) -> Binding | None:
        """The ledger these views were built from, if they say (files of diplo 0.1 do not)."""
        found = dict(self.db.execute("SELECT name, value FROM _binding").fetchall())
        if not found.get("ledger_id") or not found.get("chain"):
            return None
        return Binding(found["ledger_id"], found["chain"])

    def _know_iati_org(self, ledger: Ledger) -> None:
        """Rows carry the IATI identifiers of the ledger's own reporting organisation."""
        from diplo.domain.store.meta import ledger_id
        from diplo.events.identifiers import ledger_reporting_org

        if self._ledger_id is None:
            self._ledger_id = ledger_id(ledger)
        if self._ledger_id and not self.directory.iati_org:
            self.directory.iati_org = ledger_reporting_org(self._ledger_id)

    def _bind(self, ledger: Ledger, position: int) -> None:
        """Record the ledger and its chain value at ``position``, in the caller's transaction."""
        from diplo.domain.store.meta import chain_at, ledger_id

        if self._ledger_id is None:
            self._ledger_id = ledger_id(ledger)
        self.db.conn.executemany(
            "INSERT OR REPLACE INTO _binding VALUES (?, ?)",
            [("ledger_id", self._ledger_id), ("chain", chain_at(ledger, position) or "")],
        )

    def max_tracking_id(self, application_name: str = APPLICATION) -> int | None:
        row = self.db.execute(
            "SELECT position FROM _tracking WHERE name = ?", [application_name]
        ).fetchone()
        return row[0] if row else None

    def insert_tracking(self, tracking: Tracking) -> None:
        tracked = self.max_tracking_id(tracking.application_name) or 0
        if tracking.notification_id <= tracked:
            raise IntegrityError(
                f"position {tracking.notification_id} is already applied (views are at {tracked})"
            )
        self.db.execute(
            "INSERT OR REPLACE INTO _tracking VALUES (?, ?)",
            [tracking.application_name, tracking.notification_id],
        )

    def apply(
        self, notifications: Sequence[Notification], ledger: Ledger, plan: Plan | None = None
    ) -> int:
        """Apply a chunk of consecutive notifications, and track its last position, atomically;
        return how many were new.

        The write lock is taken before the tracked position is read, so several processes
        catching up at once queue, and events another one applied are skipped, never repeated.
        With a ``plan`` (a rebuild), events are derived in their final corrected form and the
        derived rows are left for one ``refresh_all`` at the end.
        """
        self.db.conn.execute("BEGIN IMMEDIATE")
        try:
            tracked = self.max_tracking_id() or 0
            pending = [n for n in notifications if n.id > tracked]
            if pending and pending[0].id != tracked + 1:
                raise IntegrityError(f"views expect position {tracked + 1}, got {pending[0].id}")
            if pending:
                self._know_iati_org(ledger)
                chunk = _Chunk(self, ledger, plan)
                for notification in pending:
                    chunk.apply(notification)
                chunk.finish()
                self.insert_tracking(Tracking(APPLICATION, pending[-1].id))
                self._bind(ledger, pending[-1].id)
            self.db.conn.execute("COMMIT")
            return len(pending)
        except BaseException:
            self.db.conn.rollback()
            raise


class Plan:
    """Every correction up to a rebuild's end, by target: applied when the target is derived.

    A rebuild may do this because nobody reads its file before it is complete; the result
    equals applying each correction as it comes (a property test holds both paths equal).
    With ``valid_at``, activity that had not certainly happened by that day is left out.
    """

    def __init__(self, valid_at: date | None = None) -> None:
        self.amendments: dict[str, list[tuple[str, dict[str, Any]]]] = {}
        self.valid_at = valid_at
        self.uncertain: list[str] = []
        self.tally = Tally()  # every row the rebuild writes, counted once at the end

    def keeps(self, data: dict[str, Any]) -> bool:
        if self.valid_at is None or "occurred_on" not in data:
            return True
        verdict = happened_by(data["occurred_on"], self.valid_at)
        if verdict == "uncertain":
            self.uncertain.append(data["key"])
        return verdict == "yes"

    def add(self, data: dict[str, Any]) -> None:
        self.amendments.setdefault(data["target"], []).append((data["type"], changes_of(data)))

    def final(self, data: dict[str, Any]) -> tuple[dict[str, Any], str]:
        """``data`` with its corrections applied, and its status."""
        return amend(data, self.amendments.get(data["key"], []))


def amend(
    data: dict[str, Any], amendments: list[tuple[str, dict[str, Any]]]
) -> tuple[dict[str, Any], str]:
    """Apply corrections in log order; a retraction wins over any correction."""
    status = "active"
    for type_name, changes in amendments:
        if type_name == "EventRetracted":
            status = "retracted"
        elif type_name == "EventCorroborated":
            data = data | {"sources": [*(data.get("sources") or []), *changes["sources"]]}
        else:
            data = data | changes
            status = "retracted" if status == "retracted" else "corrected"
    return {k: v for k, v in data.items() if v is not None}, status


# Bump when a rows function changes what it derives: existing views files are then rebuilt.
DERIVATION = 5  # 3: timeline.cameo, iati_identifier; 4: a retracted delivery's items are
# retracted; 5: pair figures are running totals (_funding_parts), moved by each change


def layout() -> str:
    """A fingerprint of what the views hold: every table's columns, keys and indexes, and the
    derivation's version. Views files are disposable, so one made by other code is rebuilt
    rather than migrated column by column: a new type's table, or a new column, is there."""
    shape = [(t.name, list(t.columns), t.primary_key, t.indexes) for t in TABLES]
    return hashlib.sha256(json.dumps([DERIVATION, shape]).encode()).hexdigest()[:16]


def _ensure_layout(db: Database) -> None:
    """Recreate every table, empty and untracked, if the file was made for another layout;
    the next update then derives every event again (it equals a rebuild: property-tested)."""
    current = layout()
    db.execute("CREATE TABLE IF NOT EXISTS _layout (fingerprint TEXT)")
    row = db.execute("SELECT fingerprint FROM _layout").fetchone()
    if row is not None and row[0] == current:
        return
    with db.conn:
        if row is not None or db.execute("SELECT 1 FROM _tracking").fetchone():
            existing = [
                name
                for (name,) in db.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' "
                    "AND name NOT LIKE 'sqlite_%'"
                ).fetchall()
            ]
            derived = {table.name for table in TABLES}
            for name in existing:  # bookkeeping (_tracking, _binding, _scope…) stays
                if name in derived or not name.startswith("_"):
                    db.execute(f'DROP TABLE "{name}"')
            db.execute("DELETE FROM _tracking")
        for table in TABLES:
            for statement in create_sql(table):
                db.execute(statement)
        db.execute("DELETE FROM _columns")
        db.table("_columns").insert_all(  # descriptions travel with the file
            [
                {"table": t.name, "column": c, "description": d}
                for t in TABLES
                for c, d in t.columns.items()
            ]
        )
        db.execute("DELETE FROM _layout")
        db.execute("INSERT INTO _layout VALUES (?)", [current])


def _write_datasette_metadata(path: str) -> None:
    """Table and column descriptions for `datasette VIEWS -m VIEWS.metadata.json`."""
    target = Path(path).with_suffix(".metadata.json")
    if ".rebuild-" in path:
        return
    text = json.dumps(datasette_metadata("diplo views", Path(path).stem), indent=2) + "\n"
    if not target.exists() or target.read_text() != text:  # files of older versions are fixed
        target.write_text(text)


class _Chunk:
    """Rows buffered for bulk insert; corrections flush the buffer and replace their target."""

    def __init__(self, views: Views, ledger: Ledger, plan: Plan | None) -> None:
        self.db, self.directory, self.ledger = views.db, views.directory, ledger
        self.buffer: Rows = {}
        self.touched = Touched()
        self.tally = plan.tally if plan else Tally()
        self.plan = plan

    def apply(self, notification: Notification) -> None:
        data, recorded_at = decode_data(notification.state)
        meta = Meta(data["key"], notification.id, recorded_at)
        if data["type"] in CORRECTIONS:
            self._record_correction(data, meta)
            for table, rows in derive(data, meta, self.directory).items():
                self.buffer.setdefault(table, []).extend(rows)
            if self.plan is None:
                self.flush()
                self.replace(data["target"])
            return
        if self.plan is not None:
            data, status = self.plan.final(data)
            if not self.plan.keeps(data):
                return
            meta = Meta(meta.key, meta.position, meta.recorded_at, status)
        self.directory.learn(data)
        for table, rows in derive(data, meta, self.directory).items():
            self.buffer.setdefault(table, []).extend(rows)

    def flush(self) -> None:
        self.tally.add(self.buffer, +1)
        for table, rows in self.buffer.items():
            if self.plan is None:  # a rebuild refreshes everything once, at the end
                for row in rows:
                    self.touched.note(table, row)
            columns = list(BY_NAME[table].columns)
            names = ", ".join(f'"{c}"' for c in columns)
            marks = ", ".join("?" * len(columns))
            self.db.conn.executemany(
                f'INSERT INTO "{table}" ({names}) VALUES ({marks})',
                [tuple(map(row.get, columns)) for row in rows],
            )
        self.buffer = {}

    def finish(self) -> None:
        self.flush()
        if self.plan is None:
            self.touched.refresh(self.db, self.tally)
            self.tally.write(self.db)

    def _record_correction(self, data: dict[str, Any], meta: Meta) -> None:
        self.buffer.setdefault("_corrections", []).append(
            {
                "key": meta.key,
                "target": data["target"],
                "type": data["type"],
                "position": meta.position,
                "recorded_at": meta.recorded_at,
                "recorded_by": data.get("recorded_by"),
                "reason": data.get("reason"),
                "changes": json.dumps(changes_of(data)),
            }
        )

    def replace(self, target: str) -> None:
        """Re-derive the rows of ``target`` from its original and every correction so far."""
        current, meta = self._current(target)
        self._delete_rows(target)
        declaration = declarations()[current["type"]]
        self.directory.learn(current)
        for table, rows in derive(current, meta, self.directory).items():
            self.buffer.setdefault(table, []).extend(rows)
        self.flush()
        if declaration.registers:
            for dependent in self._dependents(current[declaration.subject]):
                self.replace(dependent)

    def _current(self, target: str) -> tuple[dict[str, Any], Meta]:
        row = self.ledger.recorder.select_keys([target])[target]
        data, recorded_at = decode_data(row.state)
        amendments = [
            (type_name, json.loads(changes) or {})
            for type_name, changes in self.db.execute(
                "SELECT type, changes FROM _corrections WHERE target = ? ORDER BY position",
                [target],
            ).fetchall()
        ]
        data, status = amend(data, amendments)
        return data, Meta(target, row.position, recorded_at, status)

    def _delete_rows(self, key: str) -> None:
        """Delete the rows of event ``key``, counting them out of the running figures."""
        deleted: Rows = {}
        for table in TABLES:
            if table.name in DERIVED or table.name == "_corrections":
                continue
            deleted[table.name] = list(
                self.db.query(f'SELECT * FROM "{table.name}" WHERE key = ?', [key])
            )
            for row in deleted[table.name]:
                self.touched.note(table.name, row)
            self.db.execute(f'DELETE FROM "{table.name}" WHERE key = ?', [key])
        self.tally.add(deleted, -1)

    def _dependents(self, subject: str) -> list[str]:
        """Keys of events whose rows took this organisation's or person's country or name:
        every event that names it (``_mentions``, derived for every type alike)."""
        return [
            key
            for (key,) in self.db.execute(
                "SELECT DISTINCT key FROM _mentions WHERE party = ? ORDER BY key", [subject]
            ).fetchall()
        ]
