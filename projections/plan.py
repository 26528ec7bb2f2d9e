"""What a rebuild knows in advance, and how an amending event changes its target's data.

A rebuild reads every correction up to its end first (``Plan``), so each event is derived once,
in its final form; a catch-up applies each correction as it comes (``amend`` on the target's
original and its corrections so far). A property test holds both ways equal.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from datetime import date
from typing import Any

from diplo.domain.model.timeaxis import happened_by
from diplo.projections.tally import Tally

# Events that amend an earlier one's rows: corrections, retractions, and corroborations (which
# add sources). They are applied to their target's rows, never derived as activity.
CORRECTIONS = ("EventCorrected", "EventRetracted", "EventCorroborated")


def changes_of(data: dict[str, Any]) -> dict[str, Any]:
    """What an amending event changes in its target's data."""
    if data["type"] == "EventCorroborated":
        return {"sources": data["sources"]}
    return dict(data.get("changes") or {})


class Plan:
    """Every correction up to a rebuild's end, by target: applied when the target is derived.

    A rebuild may do this because nobody reads its file before it is complete; the result
    equals applying each correction as it comes (a property test holds both paths equal).
    With ``valid_at``, activity that had not certainly happened by that day is left out.
    """

    def __init__(
        self,
        valid_at: date | None = None,
        amendments: MutableMapping[str, list[tuple[str, dict[str, Any]]]] | None = None,
    ) -> None:
        # By target key: a dict, or for a reader that must stay in flat memory (an export)
        # a ``spill.Spilled`` (whose lists read from disk are copies: ``add`` sets them whole).
        self.amendments = {} if amendments is None else amendments
        self.valid_at = valid_at
        self.uncertain: list[str] = []
        self.log = True  # False: views for one report, which `diplo log` never reads
        self.tally = Tally()  # every row the rebuild writes, counted once at the end

    def keeps(self, data: dict[str, Any]) -> bool:
        if self.valid_at is None or "occurred_on" not in data:
            return True
        verdict = happened_by(data["occurred_on"], self.valid_at)
        if verdict == "uncertain":
            self.uncertain.append(data["key"])
        return verdict == "yes"

    def add(self, data: dict[str, Any]) -> None:
        target, amendment = data["target"], (data["type"], changes_of(data))
        self.amendments[target] = [*self.amendments.get(target, []), amendment]

    def final(self, data: dict[str, Any]) -> tuple[dict[str, Any], str]:
        """``data`` with its corrections applied, and its status: ``data`` itself when
        nothing amends it (most events; a caller may tell so by identity)."""
        amendments = self.amendments.get(data["key"])
        if amendments is None and None not in data.values():
            return data, "active"  # what ``amend`` would return, without the copy
        return amend(data, amendments or [])


def amend(
    data: dict[str, Any], amendments: list[tuple[str, dict[str, Any]]]
) -> tuple[dict[str, Any], str]:
    """Apply corrections in log order; a retraction wins over any correction."""
    status = "active"
    for type_name, changes in amendments:
        if type_name == "EventRetracted":
            status = "retracted"
        elif type_name == "EventCorroborated":
            data = data | {"sources": [*(data.get("sources") or []), *changes["sources"]]}
        else:
            data = data | changes
            status = "retracted" if status == "retracted" else "corrected"
    return {k: v for k, v in data.items() if v is not None}, status
