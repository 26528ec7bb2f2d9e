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
