"""IATI activities from the ledger: one per grant, loan or project, with the events that act on it.

An activity opens with the event that creates its record (a grant signed, a loan signed, a
clinic planned) and gathers the later events that name that record (disbursements, equipment
funded, milestones). Its identifier is made from the reporting organisation and the record's
id, which diplo never changes: the same activity has the same identifier in every export.

An activity's last event may come at the end of the log, so the export cannot write one
before it has read them all. The events wait in a private temporary SQLite file (``_Spill``),
not in memory: an export of any ledger holds one activity at a time. The numbers of the
records, the registered parties and the countries of each record wait on disk too, beyond
the first ``spill.KEPT`` of each (``Spilled``).
"""

from __future__ import annotations

import marshal
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import groupby

from diplo.domain.store.spill import Spilled
from diplo.events.declaration import Data, Declaration, Meta, declarations
from diplo.events.identifiers import iati_identifier
from diplo.projections.interop.current import Current

# The records that are IATI activities, by the event type that creates each.
OPENERS = {
    "GrantAgreementSigned": "grant",
    "LoanAgreementSigned": "loan",
    "ClinicPlanned": "project",
}
BATCH = 1000  # events written to the temporary file at once
PARTIES = 10_000  # registrations kept in memory (about 1 KB each); the rest wait on disk


@dataclass
class Activity:
    """A grant, loan or project and every current event about it, in log order."""

    kind: str
    id: str
    opening: Current
    later: list[Current] = field(default_factory=list)

    @property
    def events(self) -> list[Current]:
        return [self.opening, *self.later]

    def identifier(self, reporting_org: str) -> str:
        return iati_identifier(reporting_org, self.kind, self.id)


@dataclass
class Gathered:
    """The activities (each read whole as it is reached, in the order their records were
    created), and the registered parties their rows name (by id)."""

    activities: Iterable[Activity]
    parties: Mapping[str, Data]
    generated: str  # when the last exported event was recorded: a stable generated-datetime

    def close(self) -> None:
        """Remove the temporary files the activities and parties wait in, if any."""
        if isinstance(self.activities, _Spill):
            self.activities.close()
        if isinstance(self.parties, Spilled):
            self.parties.close()


def gather(events: Iterable[Current]) -> Gathered:
    """Group current events into activities, in the order their records were created."""
    spill = _Spill()
    parties = Spilled(PARTIES)  # id -> registration data, in flat memory however many
    generated = ""
    try:
        for event in events:
            generated = max(generated, event.meta.recorded_at)
            declaration, data = event.declaration, event.data
            if declaration.registers:
                parties[data[declaration.subject]] = data
            elif declaration.name in OPENERS:
                spill.open((OPENERS[declaration.name], data[declaration.subject]), event)
            elif not declaration.creates:
                for kind in declaration.records:
                    if spill.add((kind, data.get(declaration.subject, "")), event):
                        break
        spill.flush()
    except BaseException:
        spill.close()
        parties.close()
        raise
    return Gathered(spill, parties, generated)


class _Spill:
    """Activities' events in a private temporary SQLite file (removed when it is closed),
    keyed by the activity's number (the order its record was created) and the event's
    position: read back in that order, an activity at a time. Iterable again and again."""

    def __init__(self) -> None:
        self.db = sqlite3.connect("")  # "": a private file on disk, gone at close
        self.db.execute(
            "CREATE TABLE events (activity INTEGER, position INTEGER, event BLOB, "
            "PRIMARY KEY (activity, position)) WITHOUT ROWID"
        )
        self.numbers = Spilled()  # (kind, id): the activity's number
        self.pending: list[tuple[int, int, bytes]] = []

    def open(self, record: tuple[str, str], event: Current) -> None:
        """Start the activity of ``record`` with ``event``. A record opened again (rules
        forbid it) keeps its place but starts over, as a dict entry replaced would."""
        number = self.numbers.get(record)
        if number is None:
            number = self.numbers[record] = len(self.numbers)
        else:
            self.flush()
            self.db.execute("DELETE FROM events WHERE activity = ?", [number])
        self._put(number, event)

    def add(self, record: tuple[str, str], event: Current) -> bool:
        """Add ``event`` to the activity of ``record``; False if there is none."""
        number = self.numbers.get(record)
        if number is None:
            return False
        self._put(number, event)
        return True

    def _put(self, number: int, event: Current) -> None:
        meta = event.meta
        body = (event.data, meta.key, meta.position, meta.recorded_at, meta.status, event.countries)
        self.pending.append((number, meta.position, marshal.dumps(body)))
        if len(self.pending) >= BATCH:
            self.flush()

    def flush(self) -> None:
        self.db.executemany("INSERT INTO events VALUES (?, ?, ?)", self.pending)
        self.pending = []

    def __iter__(self) -> Iterator[Activity]:
        self.flush()
        known = declarations()
        rows = self.db.execute("SELECT activity, event FROM events ORDER BY activity, position")
        for _, events in groupby(rows, key=lambda row: row[0]):
            opening, *later = (_current(body, known) for _, body in events)
            declaration = opening.declaration
            kind = OPENERS[declaration.name]
            yield Activity(kind, opening.data[declaration.subject], opening, later)

    def close(self) -> None:
        self.db.close()
        self.numbers.close()


def _current(body: bytes, known: dict[str, Declaration]) -> Current:
    data, key, position, recorded_at, status, countries = marshal.loads(body)
    return Current(data, Meta(key, position, recorded_at, status), known[data["type"]], countries)
