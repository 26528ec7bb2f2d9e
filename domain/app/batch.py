"""A unit of work: the facts of one batch applied to their aggregates, checked, not yet saved.

Everything a batch creates is visible to the facts after it, so an import file may register an
organisation on line 1 and refer to it on line 2.
"""

from __future__ import annotations

from typing import Any, cast
from uuid import UUID

from diplo.domain.app.known import Known, Records
from diplo.domain.app.prepared import (
    AMENDMENT_TYPES,
    AMENDMENTS,
    Prepared,
    Stored,
    model,
)
from diplo.domain.errors import AlreadyRetracted, InvalidCorrection, UnknownEvent
from diplo.domain.model.entity import BULK, Entity, created, creation, source_id
from diplo.domain.model.ids import number_uuid
from diplo.domain.model.references import (
    Candidates,
    Reference,
    candidates,
    check_references,
    references,
    references_clear,
)
from diplo.domain.model.routing import AGGREGATES, COMMANDED_CREATIONS, ROUTES
from diplo.domain.store.interface import KeyRow
from diplo.domain.store.topics import register_aggregates
from diplo.events.catalog import canonical_dict, key_of
from diplo.events.envelope import Fact
from diplo.events.types.corrections import EventCorrected, EventRetracted
from diplo.events.types.corroboration import EventCorroborated

# A bulk import builds events in their stored form and applies them by topic, as the mapper
# does when it reads them back: the topics must resolve before the first read (writers only).
register_aggregates(AGGREGATES)


class Batch(Known):
    """Facts applied to their aggregates, checked, collected for writing in the input's order.

    A batch for one chunk (``Ledger.record(bulk=False)``) starts from the store each time; a
    bulk import keeps ONE batch for the whole import (its state: which streams exist and hold
    retractions, and the aggregates it touched, as compact as the aggregates themselves), and
    after each chunk is written calls ``written`` to let go of what the store now holds.
    """

    def __init__(self, ledger: Records) -> None:
        super().__init__(ledger)
        self.events: list[Any] = []  # in the order the facts were applied: the log's order
        self.facts: dict[str, tuple[UUID, Fact]] = {}  # key -> stream and fact, this batch
        self.corroborations = 0  # recorded for repeats of what the ledger held
        self._made: list[int] = []  # streams this chunk created unbuilt and kept (``written``)
        self._stored: dict[str, KeyRow] = {}  # stored rows of this chunk's amendments' targets
        # Of each fact prefetched and not applied yet, by key: the fact (a key may recur in
        # an input, with other content), its streams and its references.
        self._plans: dict[str, tuple[Fact, list[int], list[Reference], list[Candidates]]] = {}

    def prefetch(self, facts: list[Fact]) -> None:
        """Ask the store once which streams these facts touch exist, not once per reference."""
        wanted: set[int] = set()
        targets: list[str] = []  # of amendments: their rows are read together
        for fact in facts:
            if isinstance(fact, Prepared):  # the reader worked them out: apply reads them there
                if not self.complete:
                    for _, numbers in fact.checks:
                        wanted.update(numbers)
                    wanted.update(fact.stream_numbers)
                continue
            streams = _numbers(fact)
            named = list(references(fact))
            kind_streams = candidates(named)
            wanted.update(streams)
            wanted.update(number for found in kind_streams for _, number in found)
            if isinstance(fact, AMENDMENTS) and fact.target not in self.facts:
                targets.append(fact.target)
            assert fact.key is not None
            plan = (fact, streams, named, kind_streams)
            self._plans.setdefault(fact.key, plan)  # apply needs them again
        # A bulk import knows the rest already. (Not ``wanted - self._exists.keys()``: that
        # hashes every stream known so far, once per chunk, whatever the chunk names.)
        if not self.complete:
            self.look_up([number_uuid(n) for n in wanted if n not in self._exists])
        self._stored = self.ledger.recorder.select_keys(targets) if targets else {}

    def written(self) -> None:
        """The events so far are in the store (in this session): what this batch held of
        them can be read back from there, so drop the facts and the oldest aggregates."""
        self.events.clear()
        if self.keys is not None:
            self.keys.add(self.facts)  # the keys of the events just written
        self.facts.clear()
        self._stored = {}
        self._plans.clear()
        # The creating events of records that commands change (grants funded, projects
        # reaching milestones) are kept: a later command builds its aggregate from one (load),
        # else it would be read back and replayed from the store. The rest are let go.
        # Only this chunk's are looked at: those kept from earlier chunks are as they were.
        self.fresh.clear()
        for number in self._made:
            creation_event = self.unbuilt.get(number)
            if creation_event is not None and isinstance(creation_event.fact, Prepared):
                creation_event.fact.recorded()  # (None: built already, a later fact needed it)
        self._made.clear()
        self.corroborations = 0
        self.forget_oldest()

    def apply(self, fact: Fact) -> bool:
        """Check ``fact`` against the ledger and the batch so far, then apply it; False when
        it repeats a record already held (then only its new sources are recorded)."""
        if type(fact) is Prepared:  # (never an amendment: see prepared.stamp_for)
            numbers = fact.stream_numbers
            if not references_clear(self, fact.checks):
                check_references(self, fact.fact)  # it refuses, or loads what may be retracted
        elif isinstance(fact, AMENDMENTS):
            self._applied(fact, self._apply_correction(fact))
            return True
        else:
            numbers, named, kind_streams = self._plan_of(fact)
            check_references(self, fact, named=named, streams=kind_streams)
        stream = self._apply_activity(fact, numbers)
        if stream is None:
            return False
        self._applied(fact, stream)
        return True

    def _plan_of(self, fact: Fact) -> tuple[list[int], list[Reference], list[Candidates]]:
        """A model's streams (as numbers), references and their candidate streams: worked out
        by ``prefetch``, or now (a fact this batch made, or one whose key was planned for
        another fact with other content)."""
        planned = self._plans.get(fact.key or "")
        if planned is not None and planned[0] is fact:
            del self._plans[fact.key or ""]
            return planned[1], planned[2], planned[3]
        named = list(references(fact))
        return _numbers(fact), named, candidates(named)

    def _applied(self, fact: Fact, stream: UUID) -> None:
        assert fact.key is not None
        self.facts[fact.key] = (stream, fact)
        # Saving aggregate by aggregate would group each stream's events together, and an
        # appointment could then precede the organisation it names: keep the input order.
        aggregate = self.aggregates.get(stream.int)
        if aggregate is not None and aggregate._pending_events:  # noqa: SLF001
            self.events.extend(aggregate.collect_events())

    def _apply_activity(self, fact: Fact, numbers: list[int]) -> UUID | None:
        route = ROUTES[fact.type]
        if route.command is None:
            cls, number = route.aggregate, numbers[0]
            if self.number_exists(number):
                self._repeat(fact, number_uuid(number))
                return None
            stream = number_uuid(number)
            if BULK.get():
                # Most records are never named again in an import: their aggregate is built
                # from this event only if a later fact needs it (load), until it is written.
                new = creation(cls, stream, fact)
                if type(new) in COMMANDED_CREATIONS:  # kept beyond this chunk (see written)
                    self.unbuilt[number] = new
                    self._made.append(number)
                else:
                    self.fresh[number] = new
                self.events.append(new)
            else:
                self.aggregates[number] = created(cls, stream, fact)
            self._exists[number] = True
            return stream
        number = numbers[0]  # a grant, else a loan of that id (Route.aggregates)
        for candidate in numbers:
            if self.number_exists(candidate):
                number = candidate
                break
        stream = number_uuid(number)
        # A command checks its rules before it changes the record (Entity.check_rules): if
        # they refuse, nothing was changed. A correction is checked after (_correct).
        getattr(self.load(stream), route.command)(fact)
        return stream

    def _repeat(self, fact: Fact, stream: UUID) -> None:
        """A fact naming a record already held: the same content (apart from its sources,
        note and key) is another source for it, recorded as a corroboration; other content
        is refused, naming each field that differs."""
        route, aggregate, fact = ROUTES[fact.type], self.load(stream), model(fact)
        first = next(iter(aggregate.statuses))  # the key of the fact that created it
        _, original = self.find(first)
        differing = differing_fields(model(aggregate.amended(original)), fact)
        what = f"{aggregate.KIND} {getattr(fact, route.subject)!r}"
        if original.type != fact.type or differing:
            fields = ", ".join(differing) if original.type == fact.type else "type"
            raise aggregate.ALREADY_RECORDED(
                f"{route.subject}: {what} is already {route.verb} ({first}) with other "
                f"content: {fields} differ; if the new source is right, correct the original "
                "event"
            )
        if aggregate.statuses.get(first) == "retracted":
            raise AlreadyRetracted(f"{route.subject}: {what} ({first}) was retracted")
        held = aggregate.sources.get(first, ())
        new = [s for s in fact.sources if source_id(s) not in held]
        if new:
            corroboration = stamped(
                EventCorroborated(target=first, sources=new), fact.recorded_by or ""
            )
            self.corroborations += 1
            self.apply(corroboration)

    def _apply_correction(self, fact: EventCorrected | EventRetracted | EventCorroborated) -> UUID:
        stream, original = self.find(fact.target)
        if original.type in AMENDMENT_TYPES:
            raise InvalidCorrection(
                f"target: {fact.target} is itself a {original.type}; "
                "correct or retract the original event instead"
            )
        aggregate = self.load(stream)
        if isinstance(fact, EventRetracted):
            aggregate.retract(fact)
            self.retracted.add(stream.int)
        elif isinstance(fact, EventCorroborated):
            aggregate.corroborate(fact)
        else:
            aggregate.attempt(lambda: self._correct(aggregate, fact, original))
        return stream

    def _correct(self, aggregate: Entity, fact: EventCorrected, original: Fact) -> None:
        corrected = aggregate.correct(fact, aggregate.amended(original))
        check_references(self, corrected, changed=fact.changes.keys())

    def find(self, key: str) -> tuple[UUID, Fact]:
        """The stream and fact of a key, from this batch or the store."""
        if key in self.facts:
            stream, fact = self.facts[key]
            return stream, model(fact)
        row = self._stored.get(key) or self.ledger.recorder.select_keys([key]).get(key)
        if row is None:
            raise UnknownEvent(f"target: no event with key {key!r} in the ledger")
        from diplo.domain.errors import IntegrityFailure
        from diplo.domain.integrity.chain import relabelled
        from diplo.domain.store.records import decode_data

        stored = Stored(decode_data(row.state).data)  # a model when a rule needs one
        if stored.key != key:  # the key column is not the key inside the hashed event
            raise IntegrityFailure(relabelled(row.position, key, stored.key))
        return row.originator_id, cast(Fact, stored)

    def created_facts(self) -> list[Fact]:
        return [fact for _, fact in self.facts.values()]

    def known_names(self, kinds: list[str]) -> dict[str, list[str]]:
        """Registered ids of ``kinds`` in the ledger and in this batch so far."""
        return self.ledger.known_names(kinds, self.created_facts())


# What a repeat may differ in: where it was read, a clerk's note, how it was keyed and by whom.
PROVENANCE = frozenset({"sources", "note", "key", "recorded_by", "reported_by"})


def differing_fields(recorded: Fact, repeat: Fact) -> list[str]:
    """The content fields in which ``repeat`` differs from what is recorded."""
    a, b = canonical_dict(recorded), canonical_dict(repeat)
    return sorted(n for n in (a.keys() | b.keys()) - PROVENANCE if a.get(n) != b.get(n))


def _numbers(fact: Fact) -> list[int]:
    """The streams a fact may act on (``Route.streams``), as numbers."""
    route = ROUTES.get(fact.type)
    if route is None:
        return []
    return route.numbers(getattr(fact, route.subject))


def stamped(fact: Fact, recorded_by: str) -> Fact:
    """Fix the key and the recorder in a fact the batch makes itself."""
    return fact.model_copy(update={"key": key_of(fact), "recorded_by": recorded_by or None})
