"""Periods: an EDTF interval of two partial dates, ``2019/2022`` or ``2024-05/2024-09``.

A multi-year programme says when it runs with ``period``; ``occurred_on`` stays one (partial)
day, so intervals are accepted only where a field is a period.
"""

from __future__ import annotations

from typing import Any

from pydantic import GetJsonSchemaHandler
from pydantic_core import core_schema

from diplo.events.values import DATE_PATTERN, PartialDate, TextValue


class Period(TextValue):
    """From the earliest day of ``start`` to the latest day of ``end``, as recorded."""

    __slots__ = ("start", "end")
    EXPECTED = "a period string like '2019/2022'"

    def __init__(self, text: str) -> None:
        first, slash, last = text.partition("/") if isinstance(text, str) else ("", "", "")
        if not slash or not first or not last:
            raise ValueError(
                f"invalid period {text!r}; expected an EDTF interval like '2019/2022' or "
                "'2024-05/2024-09'"
            )
        self.start, self.end = PartialDate(first), PartialDate(last)
        if self.end.latest < self.start.earliest:
            raise ValueError(f"invalid period {text!r}: it ends before it starts")
        self.text = text

    def __repr__(self) -> str:
        return f"Period({self.text!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Period) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> dict[str, Any]:
        return {
            "type": "string",
            "pattern": f"^{DATE_PATTERN}/{DATE_PATTERN}$",
            "description": "EDTF interval of two partial dates",
            "examples": ["2019/2022", "2024-05/2024-09"],
        }
