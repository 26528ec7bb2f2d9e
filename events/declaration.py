"""One declaration per event type: everything the code needs to know about a type, in one place.

A type is declared once, beside its model, with ``declare(...)``: the record it acts on, the fields
that name parties (countries, organisations, people), its one-line summary, its view rows and the
tables they go to, and its codes (CAMEO, IATI). Every table the rest of the code used to keep by
type name (the catalog, the routes to aggregates, the view handlers, the summaries, the party
fields, the correction cascade) is built from these declarations, so a new type is one new module
in ``diplo.events.types`` and nothing else can forget it. ``tests/test_declarations.py`` checks
that they agree.

Declarations speak only of plain data: the domain maps ``record`` kinds to aggregates, and the
projections turn ``tables`` into SQLite tables; neither is imported here.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from diplo.events.directory import Directory
    from diplo.events.envelope import Fact

Data = dict[str, Any]
Rows = dict[str, list[Data]]
Summary = Callable[[Data, Callable[[str], str]], str]


class Meta:
    """Where an event stands in the log, and its status after corrections.

    A plain class with slots, not a frozen dataclass: a rebuild makes one for each of
    millions of events, and a frozen dataclass's ``__init__`` costs four times as much.
    Nothing changes one once made."""

    __slots__ = ("key", "position", "recorded_at", "status")

    def __init__(self, key: str, position: int, recorded_at: str, status: str = "active") -> None:
        self.key, self.position, self.recorded_at, self.status = key, position, recorded_at, status

    def __repr__(self) -> str:
        return f"Meta({self.key!r}, {self.position!r}, {self.recorded_at!r}, {self.status!r})"

    def _fields(self) -> tuple[str, int, str, str]:
        return self.key, self.position, self.recorded_at, self.status

    def __eq__(self, other: object) -> bool:  # by value, as the dataclass it was
        return isinstance(other, Meta) and self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())


@dataclass(frozen=True)
class Table:
    """A views table: its columns with their descriptions (the first is the primary key)."""

    name: str
    description: str
    columns: dict[str, str]
    pk: tuple[str, ...] = ()
    indexes: tuple[str, ...] = ("key",)
    # How SQLite keeps the rows. "rowid" (the default): in rowid order, the primary key an
    # index of its own. "by key": in the primary key's own B-tree (WITHOUT ROWID), for small
    # rows, so that one B-tree is written per row, not two. "position": the one integer
    # primary key is the rowid (INTEGER PRIMARY KEY), for rows that arrive in its order.
    storage: Literal["rowid", "by key", "position"] = "rowid"

    @property
    def primary_key(self) -> tuple[str, ...]:
        return self.pk or (next(iter(self.columns)),)


@dataclass(frozen=True)
class Codes:
    """How the field's standards classify a type (DESIGN.md, "Codes")."""

    cameo: str | None = None
    iati_transaction_type: str | None = None
    iati_finance_type: str | None = None
    # A more precise CAMEO code for some events of the type (food and medical supplies are
    # humanitarian aid, 073, where other equipment is aid, 070), or None for ``cameo``.
    refine: Callable[[Data], str | None] | None = field(default=None, compare=False)

    def cameo_for(self, data: Data) -> str | None:
        """The CAMEO code of one event of the type (its current data)."""
        return (self.refine(data) if self.refine else None) or self.cameo


@dataclass(frozen=True)
class Declaration:
    """What one event type is, for every part of diplo.

    ``record`` is the kind of record the fact acts on (``grant``, ``org``), named by the field
    ``subject``; ``creates`` says whether the fact brings that record into being (a second one
    with the same id is refused) or acts on one already recorded. ``command`` names the
    aggregate method that applies a fact which does not create its record. ``verb`` completes
    "grant 'g1' is already …". ``parties`` are the fields whose values are countries or ids of
    registered parties: they place the event in a country pair. ``rows`` derives the view rows
    of one event (its current, corrected data) into ``tables`` (every table it writes; several
    types may share one); ``pair_kind`` is the column of
    ``partnerships`` it counts in. ``registers`` marks registry facts, whose names and countries
    other events' rows borrow.
    """

    model: type[Fact]
    record: str
    subject: str
    summary: Summary
    creates: bool = True
    or_records: tuple[str, ...] = ()  # other kinds ``subject`` may name (a grant or a loan)
    command: str | None = None
    verb: str = "recorded"
    parties: tuple[str, ...] = ()
    rows: Callable[[Data, Meta, Directory], Rows] | None = None
    tables: tuple[Table, ...] = ()
    pair_kind: tuple[str, str] | None = None  # (partnerships column, its description)
    registers: bool = False
    codes: Codes = field(default_factory=Codes)

    @property
    def name(self) -> str:
        return str(self.model.model_fields["type"].default)

    @cached_property  # asked for every event acting on a record the log follows
    def records(self) -> tuple[str, ...]:
        """The kinds of record the fact may act on, in the order they are looked for."""
        return (self.record, *self.or_records)

    @cached_property  # asked for every event a view derives
    def mention_fields(self) -> tuple[str, ...]:
        """Fields naming registered organisations or people, whose names and countries this
        type's rows may borrow: the parties and every field that refers to an org or person."""
        refers = [
            name
            for name, info in self.model.model_fields.items()
            if isinstance(info.json_schema_extra, dict)
            and {"org", "person"} & set(info.json_schema_extra.get("x-refers-to") or [])  # type: ignore[arg-type]
        ]
        return tuple(dict.fromkeys([*self.parties, *refers]))

    @cached_property
    def on_timeline(self) -> bool:
        """Activity (something that happened between countries, with a date) is on the
        timeline; registry facts and corrections are not, dated or not."""
        from diplo.events.envelope import Activity

        return issubclass(self.model, Activity)

    @cached_property  # asked for every record the log follows
    def named_later(self) -> bool:
        """Whether a later fact may act on the record this one creates, naming it by its id
        (a grant funded, a project's milestone): the log then remembers its countries
        (``Directory.follow``). Of a meeting or a commitment, nothing later asks."""
        return self.creates and any(
            self.record in other.records for other in declarations().values() if not other.creates
        )


_DECLARED: dict[str, Declaration] = {}


def declare(model: type[Fact], **details: Any) -> Declaration:
    """Declare an event type (see ``Declaration``); called once per type, beside its model."""
    declaration = Declaration(model, **details)
    if declaration.name in _DECLARED:
        raise RuntimeError(f"event type {declaration.name} is declared twice")
    _DECLARED[declaration.name] = declaration
    return declaration


def declarations() -> dict[str, Declaration]:
    """Every declared type, by name: each module of ``diplo.events.types``, imported once."""
    if not _LOADED:
        from diplo.events import types

        modules = [
            importlib.import_module(f"{types.__name__}.{info.name}")
            for info in sorted(pkgutil.iter_modules(types.__path__), key=lambda m: m.name)
        ]
        # Families list in a reader's order (registry, activity, corrections): ``ORDER``.
        rank = {m.__name__: getattr(m, "ORDER", 50) for m in modules}
        ordered = sorted(_DECLARED.values(), key=lambda d: rank[d.model.__module__])
        _DECLARED.clear()
        _DECLARED.update((d.name, d) for d in ordered)
        _LOADED.append(True)
    return _DECLARED


_LOADED: list[bool] = []


def declaration_of(type_name: str) -> Declaration | None:
    # asked several times for every event a view derives: once loaded, one dict lookup
    return (_DECLARED if _LOADED else declarations()).get(type_name)
