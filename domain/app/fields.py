"""Which fields of a fact read the same from its JSON data as from its model: a prepared fact
(domain.app.prepared) answers those from the data, and decodes the model only for the rest."""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from functools import cache
from types import UnionType
from typing import Annotated, Any, NamedTuple, Union, get_args, get_origin

from diplo.events.catalog import model_for


class SourceView(NamedTuple):
    """A source as an aggregate keeps it (``entity.source_id``), read from JSON data."""

    publisher: str
    title: str
    url: str | None


@cache
def plain_fields(type_name: str) -> dict[str, Callable[[Any], Any] | None]:
    """The fields of a type read from its JSON data, each with what makes the model's value of
    it (None: the data is the value): texts, numbers, booleans, and enumerations of them,
    constrained or optional; not dates, models or lists."""
    readers = {}
    for name, info in model_for(type_name).model_fields.items():
        plain, reader = _reader(info.annotation)
        if plain:
            readers[name] = reader
    return readers


def _reader(annotation: Any) -> tuple[bool, Callable[[Any], Any] | None]:
    """Whether a field of this type can be read from JSON data, and how (None: as it is)."""
    if annotation in (str, int, bool, type(None)):
        return True, None
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return True, annotation
    origin = get_origin(annotation)
    if origin is Annotated:
        return _reader(get_args(annotation)[0])
    if origin in (Union, UnionType):
        found = [_reader(arg) for arg in get_args(annotation) if arg is not type(None)]
        if all(plain for plain, _ in found) and len(found) == 1:
            enum = found[0][1]
            return True, None if enum is None else (lambda v: None if v is None else enum(v))
    return False, None
