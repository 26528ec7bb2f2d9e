"""One catch-up's chunk of events: their rows buffered and inserted in bulk, each correction
applied to its target's rows as it comes (the target re-derived from its original and every
correction so far), and the figures moved by what the chunk inserted and deleted."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from diplo.domain.store.records import decode_data
from diplo.events.declaration import Declaration, declarations
from diplo.projections.derive import Meta, Rows, derive, gather
from diplo.projections.logrows import LogRow
from diplo.projections.plan import CORRECTIONS, Plan, amend, changes_of
from diplo.projections.refresh import Touched
from diplo.projections.tables import DERIVED, LOGGED, TABLES
from diplo.projections.tally import Tally
from diplo.projections.writer import insert

if TYPE_CHECKING:
    from eventsourcing.persistence import Notification

    from diplo.domain.app.ledger import Ledger
    from diplo.projections.views import Views


class Chunk:
    """Rows buffered for bulk insert; corrections flush the buffer and replace their target."""

    def __init__(self, views: Views, ledger: Ledger, plan: Plan | None) -> None:
        self.db, self.directory, self.ledger = views.db, views.directory, ledger
        self.buffer: dict[str, list[Any]] = {}  # rows by table, as ``writer.insert`` takes them
        self.touched = Touched()
        self.tally = plan.tally if plan else Tally()
        self.plan = plan
        self.log = views.log_rows()

    def note_in_log(
        self, data: dict[str, Any], position: int, declaration: Declaration | None = None
    ) -> LogRow | None:
        """The ``_log`` row of an event: what `diplo log` shows of it, as recorded, not as
        corrected (left out of views built for one report of the past); returned too.
        ``declaration`` is the event's type's, if the caller has looked it up."""
        if self.plan is None or self.plan.log:
            row = self.log.row(data, position, declaration)
            self.buffer.setdefault("_log", []).append(row)
            return row
        return None

    def apply(self, notification: Notification) -> None:
        data, recorded_at = decode_data(notification.state)
        self.note_in_log(data, notification.id)
        meta = Meta(data["key"], notification.id, recorded_at)
        if data["type"] in CORRECTIONS:
            self._record_correction(data, meta)
            gather(self.buffer, derive(data, meta, self.directory))
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
        gather(self.buffer, derive(data, meta, self.directory))

    def flush(self) -> None:
        self.tally.add(self.buffer, +1)
        for table, rows in self.buffer.items():
            if self.plan is None:  # a rebuild refreshes everything once, at the end
                for row in rows:
                    self.touched.note(table, row)
            insert(self.db.conn, table, rows)
        self.buffer = {}

    def finish(self) -> None:
        self.flush()
        self.log.save()
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
        gather(self.buffer, derive(current, meta, self.directory))
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
            if table.name in DERIVED or table.name in LOGGED or table.name == "_corrections":
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
