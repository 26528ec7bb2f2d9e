"""Corrections never erase: they are new events that name the key of an earlier one."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from diplo.events.declaration import declare
from diplo.events.envelope import Fact, described
from diplo.events.values import EventKey, Text

ORDER = 90  # where the family stands in the catalog (registry first)


class EventCorrected(Fact):
    """Corrects fields of an earlier event; the original stays as recorded."""

    type: Literal["EventCorrected"] = "EventCorrected"
    target: EventKey = described(
        "The key of the event corrected (see `diplo show`).", "uza-676233/project/samarkand-clinic"
    )
    changes: Annotated[dict[str, Any], Field(min_length=1, max_length=50)] = described(
        "The fields to change and their new values (null removes an optional field).", {"beds": 850}
    )
    reason: Text = described("Why, for the auditor.", "The press release gives 850 beds")


class EventRetracted(Fact):
    """Withdraws an earlier event; it stays in the log, marked retracted."""

    type: Literal["EventRetracted"] = "EventRetracted"
    target: EventKey = described(
        "The key of the event retracted.", "uza-676233/grant/ggp-spmc-pohi"
    )
    reason: Text = described("Why, for the auditor.", "Duplicate record")


# Corrections act on the record of their target (the domain finds it by the target's key);
# their effect on views is applied to the target's rows, so they derive none of their own.
declare(
    EventCorrected,
    record="target",
    subject="target",
    creates=False,
    command="correct",
    summary=lambda d, _: f"Correction of {d['target']}: {', '.join(d['changes'])}",
)
declare(
    EventRetracted,
    record="target",
    subject="target",
    creates=False,
    command="retract",
    summary=lambda d, _: f"Retraction of {d['target']}",
)
