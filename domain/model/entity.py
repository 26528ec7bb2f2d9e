"""The life every stream shares: the keys of its facts, and corrections that never erase."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from datetime import datetime
from functools import cache
from typing import Any, ClassVar, TypeVar
from uuid import UUID

from eventsourcing.domain import (
    Aggregate,
    datetime_now_with_tzinfo,
    decorated_func_callers,
    decorated_funcs,
    event,
)
from eventsourcing.utils import resolve_topic
from pydantic import BaseModel, ValidationError

from diplo.domain.errors import AlreadyExists, AlreadyRetracted, InvalidCorrection
from diplo.domain.model.ids import stream_id
from diplo.domain.store.topics import stable_topic
from diplo.events.catalog import model_for, problems_of
from diplo.events.envelope import Fact
from diplo.events.errors import LedgerError
from diplo.events.types.corrections import EventCorrected, EventRetracted
from diplo.events.types.corroboration import EventCorroborated

# Set while a bulk import runs in this thread (Ledger.record): aggregates then make their new
# events as the mapper makes stored ones back into events, not through eventsourcing's
# trigger_event, which costs an import a tenth of its time (its keyword handling, its
# per-event timestamp class lookups). Either way the event is applied by its own ``mutate``
# and joins the pending events: the rules that ran before it are the same code.
BULK: ContextVar[bool] = ContextVar("diplo_bulk", default=False)
# When a bulk import records the chunk it is at (Ledger.record sets it for each chunk): one
# reading of the clock per chunk, not per event. All of a chunk is written in one statement,
# and never before the chunk before it, so ``recorded_at`` still never decreases along the log.
NOW: ContextVar[datetime | None] = ContextVar("diplo_now", default=None)
T = TypeVar("T")


def created(cls: type[Entity], stream: UUID, fact: Fact) -> Entity:
    """A new aggregate of ``cls`` from the fact that creates it, pending as the first event."""
    if not BULK.get():
        return cls(fact=fact)  # type: ignore[call-arg]  # each kind's __init__ takes its fact
    new = creation(cls, stream, fact)
    aggregate = built(new)
    aggregate._pending_events.append(new)  # noqa: SLF001 - as trigger_event does
    return aggregate


def creation(cls: type[Entity], stream: UUID, fact: Fact) -> Any:
    """The event that creates an aggregate of ``cls`` (its ``mutate(None)`` builds it)."""
    new = _event(getattr(cls, fact.type), stream, 1, fact)
    new.__dict__["originator_topic"] = _topic_of(cls)
    return new


def built(new: Any) -> Entity:
    """The aggregate that the creating event ``new`` makes, as its ``mutate(None)`` makes it:
    base attributes from the event, then the class's ``__init__`` with the fact. Without
    resolving its topic each time and matching keywords to signatures: a bulk import builds
    every grant and project it signs or plans (tests/domain/test_bulk_import.py holds the
    outcomes equal to eventsourcing's own path)."""
    cls = resolve_topic(new.originator_topic)
    aggregate: Entity = cls.__new__(cls)
    aggregate.__base_init__(new.originator_id, new.originator_version, new.timestamp)
    aggregate.__init__(fact=new.fact)  # type: ignore[misc]  # each kind's __init__ takes its fact
    return aggregate


# The topic of each aggregate class, made once per class (every creating event names it).
_topic_of = cache(stable_topic)


def _event(cls: type[Any], stream: UUID, version: int, fact: Fact) -> Any:
    """An event object made as FactMapper.to_domain_event makes one (no __init__ to run)."""
    new = object.__new__(cls)
    state = {
        "originator_id": stream,
        "originator_version": version,
        "timestamp": NOW.get() or datetime_now_with_tzinfo(),
        "fact": fact,
    }
    object.__setattr__(new, "__dict__", state)
    return new


class Entity(Aggregate):
    """Base aggregate. ``statuses`` maps each fact's key to active, corrected or retracted."""

    KIND: ClassVar[str]
    SUBJECT: ClassVar[str]  # the field of the creating fact that holds the slug
    # Raised when a creating fact names a record that exists already.
    ALREADY_RECORDED: ClassVar[type[LedgerError]] = AlreadyExists

    @classmethod
    def id_for(cls, slug: str) -> UUID:
        return stream_id(cls.KIND, slug)

    @classmethod
    def create_id(cls, fact: Fact) -> UUID:
        return cls.id_for(getattr(fact, cls.SUBJECT))

    @property
    def statuses(self) -> dict[str, str]:
        """Each fact's key in this stream and its status: active, corrected or retracted."""
        if "_statuses" not in self.__dict__:
            self._statuses: dict[str, str] = {}
        return self._statuses

    def _track(self, fact: Fact) -> None:
        assert fact.key is not None
        if not self.statuses:  # the creating fact: the one a repeat is compared with
            self.sources[fact.key] = _joined((), fact.sources)
        self.statuses[fact.key] = "active"

    @property
    def sources(self) -> dict[str, tuple[SourceId, ...]]:
        """The creating fact's sources so far (its own, then corroborations'), as (publisher,
        title, url): a repeat of it adds only sources the ledger does not hold yet. Only the
        creating fact can be repeated, so later facts' sources are not kept (a bulk import
        holds every grant it touches: a set per funding would be most of its memory)."""
        if "_sources" not in self.__dict__:
            self._sources: dict[str, tuple[SourceId, ...]] = {}
        return self._sources

    def _emit(self, trigger: Callable[..., None], fact: Fact) -> None:
        """Record ``fact`` as this aggregate's next event: ``trigger`` is its ``@event`` method
        (see BULK for how a bulk import makes the same event: of the class eventsourcing's
        decorator would trigger, found as eventsourcing finds it)."""
        if not BULK.get():
            trigger(fact=fact)
            return
        event_class = decorated_func_callers[trigger.event_decorator]  # type: ignore[attr-defined]
        version = self._version + 1
        new = _event(event_class, self._id, version, fact)
        # What ``new.mutate(self)`` does, for an event made just now for this aggregate at its
        # next version (so its checks hold): the method as written, then version and time
        # (eventsourcing's own attributes, as its __base_init__ sets them).
        decorated_funcs[event_class](self, fact=fact)
        self._version, self._modified_on = version, new.timestamp
        self._pending_events.append(new)

    def attempt(self, change: Callable[[], T]) -> T:
        """Run ``change`` (a correction of this record): if a rule refuses it, the record is
        left as it was. A correction changes the record before the rules over the whole record
        are checked (an amount corrected beyond what was disbursed): an import that goes on
        checking after a refusal must judge the facts after it against what is recorded."""
        saved = {name: _copied(value) for name, value in self.__dict__.items()}
        try:
            return change()
        except LedgerError:
            self.__dict__.clear()
            self.__dict__.update(saved)
            raise

    def check_rules(self, adding: Any = None) -> None:
        """Invariants over the whole record (none by default; grants and loans check what is
        disbursed, with ``adding``, a disbursement about to be recorded). A command checks
        them before it records its fact; a correction, after (see ``attempt``)."""

    def corroborate(self, fact: EventCorroborated) -> None:
        """Another source reports ``fact.target``: its sources are appended, nothing else."""
        self._require_not_retracted(fact.target)
        self._emit(self._corroborated, fact)

    @event("EventCorroborated")
    def _corroborated(self, fact: EventCorroborated) -> None:
        self._track_correction(fact)
        if fact.target in self.sources:  # the creating fact's (see ``sources``)
            self.sources[fact.target] = _joined(self.sources[fact.target], fact.sources)

    def is_active(self, key: str) -> bool:
        return self.statuses.get(key) in ("active", "corrected")

    def correct(self, fact: EventCorrected, original: Fact) -> Fact:
        """Record a correction of ``original`` (as amended so far); return it as corrected."""
        self._require_not_retracted(fact.target)
        corrected = apply_changes(original, fact.changes, self.SUBJECT)
        self._emit(self._corrected, fact)
        self.check_rules()
        return corrected

    @event("EventCorrected")
    def _corrected(self, fact: EventCorrected) -> None:
        self.statuses[fact.target] = "corrected"
        self.amendments.setdefault(fact.target, {}).update(fact.changes)
        self._track_correction(fact)

    @property
    def amendments(self) -> dict[str, dict[str, Any]]:
        """The changes recorded so far against each key, merged in order."""
        if "_amendments" not in self.__dict__:
            self._amendments: dict[str, dict[str, Any]] = {}
        return self._amendments

    def amended(self, original: Fact) -> Fact:
        """``original`` as the corrections recorded so far have amended it."""
        changes = self.amendments.get(original.key or "")
        return apply_changes(original, changes, self.SUBJECT) if changes else original

    def _track_correction(self, fact: Fact) -> None:
        assert fact.key is not None
        self.statuses.setdefault(fact.key, "active")

    def retract(self, fact: EventRetracted) -> None:
        self._require_not_retracted(fact.target)
        self._emit(self._retracted, fact)

    @event("EventRetracted")
    def _retracted(self, fact: EventRetracted) -> None:
        self.statuses[fact.target] = "retracted"
        self._track_correction(fact)

    def _require_not_retracted(self, key: str) -> None:
        if self.statuses.get(key) == "retracted":
            raise AlreadyRetracted(f"event {key} was retracted; once retracted stays retracted")


def _copied(value: Any) -> Any:
    """A copy of a record's attribute deep enough to undo a command: its lists and dicts, and
    the dicts inside a dict (the changes recorded against each key); the rest is immutable."""
    if type(value) is dict:
        return {k: dict(v) if type(v) is dict else v for k, v in value.items()}
    if type(value) is list:
        return list(value)
    return value


SourceId = tuple[str, str, str]  # publisher, title, url


def source_id(source: Any) -> SourceId:
    """A source as what tells it apart, its text interned: the same publisher and title
    recur across thousands of facts, and the records an import holds keep only one copy."""
    return (sys.intern(source.publisher), sys.intern(source.title), sys.intern(source.url or ""))


def _joined(held: tuple[SourceId, ...], sources: Iterable[Any]) -> tuple[SourceId, ...]:
    """``held`` and those of ``sources`` not among them, in order, each once (a tuple: a
    record held for a whole import is smaller so than with a set)."""
    return tuple(dict.fromkeys([*held, *(source_id(s) for s in sources)]))


IMMUTABLE_FIELDS = frozenset({"type", "key", "recorded_by"})


def apply_changes(original: Fact, changes: dict[str, Any], subject: str) -> Fact:
    """The original with ``changes`` applied, validated as its own type would be. The original
    may be a model, or a fact read back as its data (``prepared.Stored``): its data with the
    changes is then validated once, the original itself never.

    The fields that name the event (type, key, recorder, and the id of its stream) are fixed:
    changing them would move the fact, not correct it.
    """
    model = type(original) if isinstance(original, BaseModel) else model_for(original.type)
    fixed = IMMUTABLE_FIELDS | {subject}
    fields = model.model_fields
    for name in changes:
        if name not in fields or name in fixed:
            allowed = ", ".join(sorted(set(fields) - fixed))
            raise InvalidCorrection(
                f"changes.{name}: {original.type} has no field {name!r} that can be corrected; "
                f"expected one of: {allowed}"
            )
    try:
        return model.model_validate(original.model_dump(mode="json") | changes)
    except ValidationError as error:
        problems = "; ".join(f"changes.{p}" for p in problems_of(error, model))
        raise InvalidCorrection(
            f"the corrected {original.type} would be invalid: {problems}"
        ) from None
