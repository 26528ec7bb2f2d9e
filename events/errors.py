"""The one exception family of diplo. The CLI prints these and exits 1; anything else is a bug."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace


class LedgerError(Exception):
    """A refusal the user can act on: bad input or a broken domain rule. Nothing was written."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one event: where, which field, what, and what was expected."""

    message: str
    field: str = ""
    line: int | None = None
    source: str = ""
    # The text given where a registered record was expected, and the kinds the field names:
    # a reader of the ledger can then suggest the ids it may have meant (see ``hinted``).
    refers: tuple[str, tuple[str, ...]] | None = None

    def __str__(self) -> str:
        where = ":".join(str(p) for p in (self.source, self.line) if p not in ("", None))
        parts = [p for p in (where, self.field) if p]
        return ": ".join([*parts, self.message])


class InvalidEvent(LedgerError):
    """One or more events failed validation; ``problems`` says where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    def __reduce__(self) -> tuple[type[InvalidEvent], tuple[list[Problem]]]:
        """Pickled with its problems (an import's reader sends it between processes)."""
        return InvalidEvent, (self.problems,)

    def located(self, source: str, line: int | None) -> InvalidEvent:
        """The same problems, placed at a file and line."""
        return InvalidEvent(
            [
                replace(p, line=line if p.line is None else p.line, source=source)
                for p in self.problems
            ]
        )

    def hinted(self, hint: Hint) -> InvalidEvent:
        """The same problems, each naming a registered record told with what it may mean."""
        return InvalidEvent([_hinted(p, hint) for p in self.problems])


# Given a text and the kinds of record a field names, "; did you mean …?" or nothing.
Hint = Callable[[str, tuple[str, ...]], str]


def _hinted(problem: Problem, hint: Hint) -> Problem:
    if problem.refers is None:
        return problem
    return replace(problem, message=problem.message + hint(*problem.refers), refers=None)


REPORTED = 50  # problems told per import; the rest are counted


class Problems:
    """Every problem of a whole input, told in input order (file by file, line by line).

    An import goes on checking after a bad line, so a clerk fixes a file in one round instead
    of one run per line; only the first ``limit`` problems are kept (memory stays flat however
    bad the file), the rest are counted and told as "… and N more"."""

    def __init__(self, sources: list[str] | None = None, limit: int = REPORTED) -> None:
        self._rank = {source: index for index, source in enumerate(sources or [])}
        self.limit = limit
        self.kept: list[Problem] = []
        self.count = 0

    def __bool__(self) -> bool:
        return self.count > 0

    def add(self, problems: list[Problem]) -> None:
        self.count += len(problems)
        self.kept.extend(problems)
        if len(self.kept) > 4 * self.limit:  # what falls beyond the limit now always will
            self.kept = self._ordered()[: self.limit]

    def add_error(self, where: str, error: LedgerError) -> None:
        """A refusal of the fact read at ``where`` (``file:line``, or empty)."""
        source, _, line = where.rpartition(":")
        if not (source and line.isdigit()):
            source, line = where, ""
        place = int(line) if line else None
        if isinstance(error, InvalidEvent):
            self.add(error.located(source, place).problems)
        else:
            self.add([Problem(str(error), "", place, source)])

    def raise_if_any(self, hint: Hint | None = None) -> None:
        """Refuse the whole input, naming its first problems in order, if it has any."""
        if not self.count:
            return
        told = self._ordered()[: self.limit]
        if hint is not None:
            told = [_hinted(problem, hint) for problem in told]
        more = self.count - len(told)
        tail = [Problem(f"… and {more} more problem{'s' * (more != 1)}")] if more else []
        raise InvalidEvent(told + tail)

    def _ordered(self) -> list[Problem]:
        last = len(self._rank)
        return sorted(
            self.kept, key=lambda p: (self._rank.get(p.source, last), p.source, p.line or 0)
        )
