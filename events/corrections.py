"""Corrections never erase: they are new events that name the key of an earlier one."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from diplo.events.envelope import Fact
from diplo.events.values import EventKey, Text


class EventCorrected(Fact):
    type: Literal["EventCorrected"] = "EventCorrected"
    target: EventKey
    changes: Annotated[dict[str, Any], Field(min_length=1, max_length=50)]
    reason: Text


class EventRetracted(Fact):
    type: Literal["EventRetracted"] = "EventRetracted"
    target: EventKey
    reason: Text
