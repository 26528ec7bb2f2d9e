"""A fact prepared for recording by another process: stamped, hashed and serialised there,
sent here as plain values, made a model again only if a rule needs more than its key.

A bulk import spends most of its time on work that needs no ledger state: reading and
validating each line, stamping it, its canonical JSON and content hash, the streams it acts on
and the ids it names (``domain.app.ahead`` does all of it in a second process). What the ledger
state needs, the rules, is done here. Most facts create a record and name registered ones: for
them the key, the streams and the references are all a rule reads, and the stored bytes are
the ones made there. A fact that a rule reads further (a grant's amount, a repeat's content)
is decoded from its canonical JSON, as a stored fact is read back: the same model, valid by
construction (it was validated before it was serialised).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import orjson

from diplo.domain.app.fields import SourceView, plain_fields
from diplo.domain.app.stamping import stamp, stamps_of
from diplo.domain.model.references import Check, checks_of
from diplo.domain.model.routing import ROUTES
from diplo.domain.store.records import data_bytes, fact_of, record_bytes
from diplo.events.catalog import content_hash, stamped_dict
from diplo.events.types.corrections import EventCorrected, EventRetracted
from diplo.events.types.corroboration import EventCorroborated

if TYPE_CHECKING:
    from diplo.events.envelope import Fact

# The facts that act on another fact, named by its key in ``target``: their rules read the
# model (see ``stamp_for``).
AMENDMENTS = (EventCorrected, EventRetracted, EventCorroborated)
AMENDMENT_TYPES = frozenset(t.__name__ for t in AMENDMENTS)

# What travels between the processes for each fact: plain values that pickle fast (a model
# unpickles slower than it validates). Streams travel as integers (see ``number_uuid``).
Sent = tuple[
    str,  # where
    str,  # type
    str,  # key
    str | None,  # recorded_by
    str | None,  # reported_by
    str,  # content hash
    bytes,  # canonical JSON
    int,  # schema version
    list[int],  # streams
    list[Check],  # its references, as ``check_references`` looks them up
]


def prepare(where: str, fact: Fact, recorded_by: str) -> Sent:
    """Everything about ``fact`` that depends on it alone, as the ledger would compute it for
    the fact stamped as recorded by ``recorded_by`` (without making that stamped copy)."""
    stamps = stamps_of(fact, recorded_by)
    data = stamped_dict(fact, stamps)
    route = ROUTES.get(fact.type)
    return (
        where,
        fact.type,
        stamps["key"],
        stamps["recorded_by"],
        stamps["reported_by"],
        content_hash(fact),
        data_bytes(data, fact.type, stamps["key"]),
        fact.SCHEMA_VERSION,
        route.numbers(stamps["key"] if route.subject == "key" else getattr(fact, route.subject))
        if route
        else [],
        checks_of(fact),
    )


class Prepared:
    """A fact as ``prepare`` sent it: its key, type and recorder, its streams and references,
    its content hash and canonical bytes. Any other attribute is read from the fact itself,
    decoded once on first use; ``fact`` is that model (for what must be one: a correction's
    original, a repeat compared field by field)."""

    __slots__ = (
        "type",
        "key",
        "recorded_by",
        "reported_by",
        "content_hash",
        "body",
        "version",
        "stream_numbers",
        "checks",
        "_fact",
        "_data",
    )

    def __init__(self, sent: Sent) -> None:
        (
            _,
            self.type,
            self.key,
            self.recorded_by,
            self.reported_by,
            self.content_hash,
            self.body,
            self.version,
            self.stream_numbers,
            self.checks,
        ) = sent
        self._fact: Fact | None = None
        self._data: dict[str, Any] | None = None

    def recorded(self) -> None:
        """Let go of what only checking and recording it needed (its streams, references and
        hash): a bulk import keeps the creating facts of records that later commands may
        change, until one does, and this keeps them small. It still reads as its fact."""
        self.stream_numbers, self.checks, self.content_hash = [], [], ""

    @property
    def fact(self) -> Fact:
        if self._fact is None:  # validated when it was read: decoded as a stored fact is
            self._fact = fact_of(orjson.loads(self.body))
        return self._fact

    def json_of(self, name: str) -> Any:
        """A field as JSON data, as the stored record holds it (None when it is empty)."""
        if self._data is None:
            self._data = orjson.loads(self.body)
        return self._data.get(name)

    @property
    def sources(self) -> list[SourceView]:
        """Where it was read: what an aggregate keeps of each source (``entity.source_id``)."""
        listed = self.json_of("sources") or []  # an empty list is left out of the data
        return [SourceView(s["publisher"], s["title"], s.get("url")) for s in listed]

    def __getattr__(self, name: str) -> Any:
        """A field whose value is its JSON data (a text, a number) is read from the data, any
        other from the model: decoding it costs several times reading the data."""
        readers = plain_fields(self.type)
        if name in readers:
            reader = readers[name]
            return self.json_of(name) if reader is None else reader(self.json_of(name))
        return getattr(self.fact, name)

    def record(self, recorded_at: datetime) -> bytes:
        """The stored record's bytes (``records.encode_record``), around the fact's bytes as
        they came."""
        return record_bytes(self.body, recorded_at, self.version)


class Stored:
    """A fact read back from the store as its data (upcast), made a model only when a rule
    needs one (``fact``): a correction validates the original's data with its changes once
    (``entity.apply_changes``), where decoding the original first validated it twice."""

    __slots__ = ("data", "_fact")

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self._fact: Fact | None = None

    @property
    def type(self) -> str:
        return self.data["type"]  # type: ignore[no-any-return]

    @property
    def key(self) -> str | None:
        return self.data.get("key")

    @property
    def fact(self) -> Fact:
        if self._fact is None:
            self._fact = fact_of(self.data)
        return self._fact

    def model_dump(self, mode: str = "json") -> dict[str, Any]:
        """The fact's data as ``Fact.model_dump(mode="json")`` would give it to validate: its
        empty fields left out, which validate as their defaults."""
        assert mode == "json"
        return dict(self.data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.fact, name)


def stamp_for(fact: Any, recorded_by: str) -> Any:
    """``fact`` stamped as recorded by ``recorded_by``: a prepared fact was stamped by whoever
    prepared it, a correction (whose rules read the model) is made its model again."""
    if not isinstance(fact, Prepared):
        return stamp(fact, recorded_by)
    if fact.recorded_by != recorded_by:
        raise ValueError(f"{fact.key} was prepared for {fact.recorded_by}, not {recorded_by}")
    return fact.fact if fact.type in AMENDMENT_TYPES else fact


def model(fact: Any) -> Fact:
    """The model of a fact or of a prepared one."""
    return fact.fact if isinstance(fact, (Prepared, Stored)) else fact  # type: ignore[no-any-return]
