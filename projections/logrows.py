"""The ``_log`` rows: what `diplo log` shows of each event, derived as the views catch up.

The log summarises each event from its data as recorded, naming parties as the registrations
before it in the log name them (``directory.log_line``). Following the log needs a directory
of its own (corrected names never reach it), kept in ``_log_directory`` between catch-ups and
read from it only as far as events ask, so a catch-up of one event reads a few rows.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING, Any

from diplo.events.directory import Directory, log_line
from diplo.projections.lookup import ReadThrough

if TYPE_CHECKING:
    from sqlite_utils import Database

    from diplo.events.declaration import Declaration


LogRow = tuple[int, str, str, str]  # position, key, summary, countries: the ``_log`` columns


class _Noted(dict[Any, Any]):
    """One map of the log's directory, noting the entries set, to write back."""

    def __init__(self) -> None:
        super().__init__()
        self.changed: set[Hashable] = set()

    def __setitem__(self, key: Any, value: Any) -> None:
        super().__setitem__(key, value)
        self.changed.add(key)


class _Journal(dict[Any, Any]):
    """A map of a log directory followed from nothing (a rebuild), listing the entries set
    since they were last taken (``LogRows.drain``): a rebuild writes them as it goes."""

    def __init__(self) -> None:
        super().__init__()
        self.pending: list[Any] = []

    def __setitem__(self, key: Any, value: Any) -> None:
        super().__setitem__(key, value)
        self.pending.append(key)


class _Stored(ReadThrough, _Noted):
    """A ``_Noted`` map whose other entries are read from ``_log_directory`` on first use."""


class LogRows:
    """Follows the log from the tracked position on; ``row`` gives one event's ``_log`` row,
    ``save`` writes what the directory learnt (in the caller's transaction). The parties it
    read or learnt stay in memory while the views are open; the records, for one chunk."""

    def __init__(self, db: Database, *, empty: bool = False) -> None:
        self.db = db
        # Nothing tracked yet (a rebuild): there is nothing to read back, and what is learnt
        # stays in memory, listed in the order learnt (``_Journal``), until the first ``save``.
        self.maps: dict[str, dict[Any, Any]] = (
            {"names": _Journal(), "countries": _Journal(), "records": _Journal()}
            if empty
            else {
                "names": _Stored(lambda party: self._read("names", party)),
                "countries": _Stored(lambda party: self._read("countries", party)),
                "records": _Stored(self._record),
            }
        )
        self.directory = Directory(
            countries=self.maps["countries"],
            names=self.maps["names"],
            records=self.maps["records"],
        )

    def row(
        self, data: dict[str, Any], position: int, declaration: Declaration | None = None
    ) -> LogRow:
        """The event's ``_log`` row, in the table's column order (made for every event, so
        a tuple: ``writer.insert`` takes it as it is, and JSON carries no column names).
        ``declaration`` is the event's type's, if the caller has looked it up."""
        countries, summary = log_line(self.directory, data, declaration)
        return (position, data["key"], summary, ",".join(countries))

    def drain(self) -> list[tuple[str, str, str]]:
        """The ``_log_directory`` rows of what was learnt since the last call, for a rebuild
        to write as it goes, in the table's column order (an entry learnt again is written
        again: its row replaced). The maps keep what they learnt: later events read it."""
        rows = []
        for name, stored in self.maps.items():
            if isinstance(stored, _Journal):
                if name == "records":  # ``_entry`` and ``_value``, inline: a row per record
                    rows += [("records", "/".join(k), ",".join(stored[k])) for k in stored.pending]
                else:
                    rows += [(name, str(k), str(stored[k])) for k in stored.pending]
                stored.pending = []
        return rows

    def save(self) -> None:
        rows = [
            (name, _entry(name, key), _value(name, stored[key]))
            for name, stored in self.maps.items()
            for key in _unsaved(stored)
        ]
        self.db.conn.executemany("INSERT OR REPLACE INTO _log_directory VALUES (?, ?, ?)", rows)
        for name in ("names", "countries"):
            stored = self.maps[name]
            if isinstance(stored, _Noted):
                stored.changed.clear()
            else:  # from here on, note what changes
                noted = _Noted()
                dict.update(noted, stored)
                self.maps[name] = noted
                setattr(self.directory, name, noted)
        # The records (one per grant, loan, project…) are read back as later chunks ask, so
        # memory stays flat however long the log; the parties are few, and stay.
        self.maps["records"] = self.directory.records = _Stored(self._record)

    def _read(self, name: str, entry: str) -> str | None:
        row = self.db.execute(
            "SELECT value FROM _log_directory WHERE map = ? AND entry = ?", [name, entry]
        ).fetchone()
        return None if row is None else str(row[0])

    def _record(self, key: tuple[str, str]) -> list[str] | None:
        value = self._read("records", _entry("records", key))
        return None if value is None else _countries(value)


def _unsaved(stored: dict[Any, Any]) -> list[Any]:
    """The entries of a map of the log's directory not written yet."""
    if isinstance(stored, _Noted):  # what changed, in a stable order
        return sorted(stored.changed, key=repr)
    assert isinstance(stored, _Journal)
    return stored.pending  # what was not drained, in the order learnt


def _entry(name: str, key: Any) -> str:
    """A record's kind and id as ``kind/id`` (neither a kind nor an id holds a slash)."""
    return "/".join(key) if name == "records" else str(key)


def _value(name: str, value: Any) -> str:
    return ",".join(value) if name == "records" else str(value)


def _countries(text: str) -> list[str]:
    """Comma-separated ISO codes (as ``_log.countries`` and ``timeline.countries`` hold them)."""
    return text.split(",") if text else []
