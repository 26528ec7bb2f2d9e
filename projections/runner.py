"""Catching the views up with the log, and rebuilding them from position 0.

``update`` applies chunks of consecutive notifications after the tracked position; each chunk
and its position commit together, so a crash or Ctrl-C mid-way loses nothing and repeats
nothing. ``rebuild`` builds a fresh file beside the old one and renames it into place, so
readers never see a half-built view.
"""

from __future__ import annotations

import gc
import os
import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from diplo.domain.store.records import decode_data
from diplo.domain.store.topics import topics_among
from diplo.projections.binding import mismatch, refuse_foreign
from diplo.projections.binding import views_path as views_path  # where callers look for it
from diplo.projections.plan import Plan
from diplo.projections.rebuild import amending, load
from diplo.projections.refresh import refresh_all
from diplo.projections.views import AS_OF, Views, of_another_layout

if TYPE_CHECKING:
    from diplo.domain.app.ledger import Ledger

CHUNK = 5000
Progress = Callable[[int, int], None]  # (applied so far, total to apply)
Notice = Callable[[str], None]  # told when the views are rebuilt, and why


def update(
    ledger: Ledger,
    views: Views,
    *,
    stop: int | None = None,
    progress: Progress | None = None,
    chunk: int = CHUNK,
    plan: Plan | None = None,
) -> int:
    """Apply every event after the tracked position (up to ``stop``); return how many."""
    head = ledger.head() if stop is None else stop
    applied = 0
    while (start := (views.max_tracking_id() or 0) + 1) <= head:
        notifications = ledger.recorder.select_notifications(start, chunk, stop=head)
        # views caught up over a hole would hide it
        ledger.whole(start, [notification.id for notification in notifications], head, chunk)
        if not notifications:
            break
        applied += views.apply(notifications, ledger, plan)
        if progress:
            progress(notifications[-1].id, head)
    return applied


def rebuild(
    ledger: Ledger,
    path: str,
    *,
    stop: int | None = None,
    progress: Progress | None = None,
    valid_at: date | None = None,
    log: bool = True,
    child: bool | None = None,
) -> int:
    """Build the views from position 0 into a new file, then replace ``path`` with it.

    ``stop`` (transaction time) and ``valid_at`` (valid time) build a view of the past; its
    scope is written in ``_scope`` so every report built from it says what it shows. The
    scratch file is removed if the build fails; scratch files left by rebuilds that were
    killed (their process is gone) are removed first. Views built for one report of the past
    leave out what only `diplo log` reads (``log=False``: ``_log`` stays empty). ``child`` says
    whether a child process inserts the rows (``rebuild.load``; by default for large logs).
    """
    refuse_foreign(path)
    remove_stale_scratch(path)
    scratch = f"{path}.rebuild-{os.getpid()}"
    _remove(scratch)
    collecting = gc.isenabled()
    gc.disable()  # a rebuild makes millions of short-lived rows and no cycles: ~10 % faster
    try:
        applied = _build(ledger, scratch, stop, progress, valid_at, log, child)
    except BaseException:
        _remove(scratch)
        raise
    finally:
        if collecting:
            gc.enable()
    _settle(scratch)
    _remove(path)
    os.replace(scratch, path)
    return applied


def _settle(path: str) -> None:
    """Write the scratch file to disk before it replaces the views: it was built without
    syncing, and a crash after the rename must not leave a file whose pages never arrived
    (most of them are on their way already: ``_settling``)."""
    with open(path, "rb") as built:
        os.fsync(built.fileno())


def _build(
    ledger: Ledger,
    scratch: str,
    stop: int | None,
    progress: Progress | None,
    valid_at: date | None,
    log: bool = True,
    child: bool | None = None,
) -> int:
    views = Views(scratch, fast=True)
    try:
        head = ledger.head()
        stop = head if stop is None else stop
        plan = corrections_until(ledger, stop, valid_at)
        plan.log = log
        indexes = _drop_indexes(views)  # a bulk load: index once at the end, not per row
        applied = load(ledger, views, scratch, stop, plan, progress, child=child)
        settling = _settling(scratch)  # the rows on their way to disk while indexes are made
        with views.db.atomic():
            for statement in indexes:
                views.db.execute(statement)
            refresh_all(views.db, plan.tally)
            if stop < head:
                views.db.table("_scope").insert({"name": AS_OF, "value": str(stop)})
            if valid_at is not None:
                views.db.table("_scope").insert_all(
                    [
                        {"name": "valid at", "value": valid_at.isoformat()},
                        {
                            "name": "left out: may have happened by then (uncertain dates)",
                            "value": str(len(plan.uncertain)),
                        },
                    ]
                )
        views.db.execute("PRAGMA journal_mode=WAL")
        settling.join()
    finally:
        views.close()
    return applied


def _settling(path: str) -> threading.Thread:
    """Start writing the loaded rows to disk, on a thread: the indexes and derived rows are
    made meanwhile (SQLite and a sync both run without the GIL), and ``_settle`` then has
    only their pages left to write (on 1M events, ~0.4 s of waiting less)."""
    thread = threading.Thread(target=_settle, args=(path,), daemon=True)
    thread.start()
    return thread


def remove_stale_scratch(path: str) -> list[str]:
    """Remove the scratch files (``PATH.rebuild-PID`` and its -wal/-shm) of rebuilds whose
    process no longer runs; return their names. Those of running rebuilds stay."""
    target = Path(path)
    prefix = target.name + ".rebuild-"
    removed = []
    for entry in (target.parent if str(target.parent) else Path(".")).iterdir():
        if not entry.name.startswith(prefix):
            continue
        pid = entry.name[len(prefix) :].split("-")[0]
        if pid.isdigit() and not _running(int(pid)):
            entry.unlink(missing_ok=True)
            removed.append(entry.name)
    return removed


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: it runs
        return True
    return True


def _drop_indexes(views: Views) -> list[str]:
    """Drop the secondary indexes of a scratch views file; return how to create them again."""
    found = views.db.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
    ).fetchall()
    for name, _ in found:
        views.db.execute(f'DROP INDEX "{name}"')
    return [sql for _, sql in found]


def corrections_until(
    ledger: Ledger, stop: int, valid_at: date | None = None, plan: Plan | None = None
) -> Plan:
    """Every correction and retraction in the log up to ``stop``, read once (into ``plan``,
    if given)."""
    plan = Plan(valid_at) if plan is None else plan
    # named, not taken from the aggregate: views build no aggregate
    for state in amending(ledger, stop, topics_among()):
        plan.add(decode_data(state).data)
    return plan


def open_views(
    ledger: Ledger, path: str, progress: Progress | None = None, notice: Notice | None = None
) -> Views:
    """The views at ``path``, bound to ``ledger`` and caught up with it."""
    return catch_up(ledger, path, progress=progress, notice=notice)[0]


def catch_up(
    ledger: Ledger, path: str, *, progress: Progress | None = None, notice: Notice | None = None
) -> tuple[Views, int]:
    """The views at ``path``, bound to ``ledger`` and caught up; and how many events that
    applied. A missing file is built; a file of another ledger, or one that no longer matches
    the store, is rebuilt, never read (``notice`` hears why); so is a file of another layout,
    before it is opened: opening would make its tables again, empty (seconds of dropping a
    large file's rows), and a rebuild derives a large log several times as fast as catching
    up from position 0. Scratch files of killed rebuilds are removed on the way."""
    refuse_foreign(path)
    remove_stale_scratch(path)
    applied = rebuild(ledger, path, progress=progress) if not Path(path).exists() else 0
    if ledger.head() and of_another_layout(path):  # asked before opening: see the docstring
        other = "they were made by another version of diplo, with other tables"
        applied = _rebuilt(ledger, path, other, progress, notice)
    views = Views(path)
    try:
        reason = mismatch(ledger, views)
        if reason:
            views.close()
            applied = _rebuilt(ledger, path, reason, progress, notice)
            views = Views(path)
        applied += update(ledger, views, progress=progress)
    except BaseException:
        views.close()
        raise
    return views, applied


def _rebuilt(
    ledger: Ledger, path: str, reason: str, progress: Progress | None, notice: Notice | None
) -> int:
    """Rebuild the views at ``path`` for ``reason``, told to ``notice``; how many it applied."""
    if notice:
        notice(f"views at {path}: {reason}; rebuilding them from the ledger")
    return rebuild(ledger, path, progress=progress)


def _remove(path: str) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(path + suffix).unlink(missing_ok=True)
