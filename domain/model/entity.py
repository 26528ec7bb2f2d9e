"""The life every stream shares: the keys of its facts, and corrections that never erase."""

from __future__ import annotations

from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.domain import Aggregate, event
from pydantic import ValidationError

from diplo.domain.errors import AlreadyExists, AlreadyRetracted, InvalidCorrection
from diplo.domain.model.ids import stream_id
from diplo.events.catalog import problems_of
from diplo.events.envelope import Fact
from diplo.events.errors import LedgerError
from diplo.events.types.corrections import EventCorrected, EventRetracted
from diplo.events.types.corroboration import EventCorroborated


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
        self.statuses[fact.key] = "active"
        self.sources[fact.key] = {source_id(s) for s in fact.sources}

    @property
    def sources(self) -> dict[str, set[tuple[str, str, str]]]:
        """Each fact's sources so far (its own, then corroborations'), as (publisher, title,
        url): a repeat adds only sources the ledger does not hold yet."""
        if "_sources" not in self.__dict__:
            self._sources: dict[str, set[tuple[str, str, str]]] = {}
        return self._sources

    def check_rules(self) -> None:
        """Invariants over the whole record, checked after every change (none by default;
        grants and loans check what is disbursed). A correction is refused if it breaks one."""

    def corroborate(self, fact: EventCorroborated) -> None:
        """Another source reports ``fact.target``: its sources are appended, nothing else."""
        self._require_not_retracted(fact.target)
        self._corroborated(fact=fact)

    @event("EventCorroborated")
    def _corroborated(self, fact: EventCorroborated) -> None:
        self._track_correction(fact)
        self.sources.setdefault(fact.target, set()).update(source_id(s) for s in fact.sources)

    def is_active(self, key: str) -> bool:
        return self.statuses.get(key) in ("active", "corrected")

    def correct(self, fact: EventCorrected, original: Fact) -> Fact:
        """Record a correction of ``original`` (as amended so far); return it as corrected."""
        self._require_not_retracted(fact.target)
        corrected = apply_changes(original, fact.changes, self.SUBJECT)
        self._corrected(fact=fact)
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
        self._retracted(fact=fact)

    @event("EventRetracted")
    def _retracted(self, fact: EventRetracted) -> None:
        self.statuses[fact.target] = "retracted"
        self._track_correction(fact)

    def _require_not_retracted(self, key: str) -> None:
        if self.statuses.get(key) == "retracted":
            raise AlreadyRetracted(f"event {key} was retracted; once retracted stays retracted")


def source_id(source: Any) -> tuple[str, str, str]:
    return (source.publisher, source.title, source.url or "")


IMMUTABLE_FIELDS = frozenset({"type", "key", "recorded_by"})


def apply_changes(original: Fact, changes: dict[str, Any], subject: str) -> Fact:
    """The original with ``changes`` applied, validated as its own type would be.

    The fields that name the event (type, key, recorder, and the id of its stream) are fixed:
    changing them would move the fact, not correct it.
    """
    fixed = IMMUTABLE_FIELDS | {subject}
    fields = type(original).model_fields
    for name in changes:
        if name not in fields or name in fixed:
            allowed = ", ".join(sorted(set(fields) - fixed))
            raise InvalidCorrection(
                f"changes.{name}: {original.type} has no field {name!r} that can be corrected; "
                f"expected one of: {allowed}"
            )
    try:
        return type(original).model_validate(original.model_dump(mode="json") | changes)
    except ValidationError as error:
        problems = "; ".join(f"changes.{p}" for p in problems_of(error, type(original)))
        raise InvalidCorrection(
            f"the corrected {original.type} would be invalid: {problems}"
        ) from None
