"""Periods: an EDTF interval of two partial dates, ``2019/2022`` or ``2024-05/2024-09``.

A multi-year programme says when it runs with ``period``; ``occurred_on`` stays one (partial)
day, so intervals are accepted only where a field is a period.
"""

from __future__ import annotations

from typing import Any

from diplo.events.values import PartialDate
from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic_core import core_schema


class Period:
    """From the earliest day of ``start`` to the latest day of ``end``, as recorded."""

    __slots__ = ("text", "start", "end")

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

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"Period({self.text!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Period) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            cls._validate,
            serialization=core_schema.plain_serializer_function_ser_schema(str),
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> dict[str, Any]:
        return {
            "type": "string",
            "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?[?~%]?/\d{4}(-\d{2}(-\d{2})?)?[?~%]?$",
            "description": "EDTF interval of two partial dates",
            "examples": ["2019/2022", "2024-05/2024-09"],
        }

    @classmethod
    def _validate(cls, value: Any) -> Period:
        if isinstance(value, Period):
            return value
        if not isinstance(value, str):
            raise ValueError(
                f"expected a period string like '2019/2022', got {type(value).__name__}"
            )
        return cls(value)
