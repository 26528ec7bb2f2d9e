"""The one exception family of diplo. The CLI prints these and exits 1; anything else is a bug."""

from __future__ import annotations

from dataclasses import dataclass


class LedgerError(Exception):
    """A refusal the user can act on: bad input or a broken domain rule. Nothing was written."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one event: where, which field, what, and what was expected."""

    message: str
    field: str = ""
    line: int | None = None
    source: str = ""

    def __str__(self) -> str:
        where = ":".join(str(p) for p in (self.source, self.line) if p not in ("", None))
        parts = [p for p in (where, self.field) if p]
        return ": ".join([*parts, self.message])


class InvalidEvent(LedgerError):
    """One or more events failed validation; ``problems`` says where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    def located(self, source: str, line: int | None) -> InvalidEvent:
        """The same problems, placed at a file and line."""
        return InvalidEvent(
            [
                Problem(p.message, p.field, line if p.line is None else p.line, source)
                for p in self.problems
            ]
        )


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

    def raise_if_any(self) -> None:
        """Refuse the whole input, naming its first problems in order, if it has any."""
        if not self.count:
            return
        told = self._ordered()[: self.limit]
        more = self.count - len(told)
        tail = [Problem(f"… and {more} more problem{'s' * (more != 1)}")] if more else []
        raise InvalidEvent(told + tail)

    def _ordered(self) -> list[Problem]:
        last = len(self._rank)
        return sorted(
            self.kept, key=lambda p: (self._rank.get(p.source, last), p.source, p.line or 0)
        )
