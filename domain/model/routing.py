"""Which aggregate each fact belongs to, and which command it is: built from the declarations.

Records with rules have an aggregate written by hand (grants, projects, the registry); every
other record kind gets a single-fact aggregate made from its declaration.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from diplo.domain.model.activity import single_fact_aggregate
from diplo.domain.model.entity import Entity
from diplo.domain.model.grant import Grant
from diplo.domain.model.ids import stream_id, stream_number
from diplo.domain.model.loan import Loan
from diplo.domain.model.project import Project
from diplo.domain.model.registry import Organization, Person, Programme
from diplo.events.declaration import Declaration, declarations
from diplo.events.envelope import Fact


@dataclass(frozen=True)
class Route:
    aggregates: tuple[type[Entity], ...]  # the first whose record exists (a grant or a loan)
    subject: str  # the fact's field naming the record (or "key")
    command: str | None = None  # None: the fact creates the aggregate
    verb: str = "recorded"  # for "grant 'g1' is already signed"

    def streams(self, fact: Fact) -> list[UUID]:
        """The streams the fact may act on, in the order they are looked for."""
        slug = getattr(fact, self.subject)
        return [stream_id(cls.KIND, slug) for cls in self.aggregates]

    def numbers(self, slug: str) -> list[int]:
        """``streams`` of a fact whose subject is ``slug``, as numbers (``UUID.int``): what an
        import's reader sends."""
        return [stream_number(cls.KIND, slug) for cls in self.aggregates]

    @property
    def aggregate(self) -> type[Entity]:
        return self.aggregates[0]


# Aggregates with rules, by the record kind they hold.
WITH_RULES: dict[str, type[Entity]] = {
    cls.KIND: cls for cls in (Organization, Person, Programme, Grant, Loan, Project)
}


def _aggregates() -> dict[str, type[Entity]]:
    kinds = dict(WITH_RULES)
    for declaration in _routed():
        if declaration.record not in kinds:
            kinds[declaration.record] = single_fact_aggregate(declaration)
    return kinds


def _routed() -> list[Declaration]:
    """Declarations of facts that act on a record of their own (corrections act on their
    target's record instead, found by key)."""
    return [d for d in declarations().values() if d.record != "target"]


KINDS: dict[str, type[Entity]] = _aggregates()

ROUTES: dict[str, Route] = {
    d.name: Route(
        tuple(KINDS[k] for k in d.records), d.subject, None if d.creates else d.command, d.verb
    )
    for d in _routed()
}

# Aggregates that a command changes after their creation (names of their classes).
COMMANDED: frozenset[str] = frozenset(
    cls.__qualname__ for route in ROUTES.values() if route.command for cls in route.aggregates
)

# The events that create such aggregates: a bulk import keeps them until a command needs one.
COMMANDED_CREATIONS: frozenset[type] = frozenset(
    getattr(route.aggregate, name)
    for name, route in ROUTES.items()
    if route.command is None and route.aggregate.__qualname__ in COMMANDED
)


def _subclasses(cls: type[Entity]) -> list[type[Entity]]:
    return [cls, *(s for sub in cls.__subclasses__() for s in _subclasses(sub))]


# Every aggregate class, bases included: their events' stored topics resolve to them.
AGGREGATES: tuple[type[Entity], ...] = tuple(dict.fromkeys(_subclasses(Entity)))

# What a reader calls each kind that a field can refer to (``x-refers-to``).
KIND_NAMES = {"org": "organization"}


def kind_name(kind: str) -> str:
    return KIND_NAMES.get(kind, kind)
