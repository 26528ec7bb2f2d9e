"""The two times of the ledger.

Transaction time (as of): what the ledger held at a moment, given as a log position or an
ISO timestamp; a timestamp means every event up to the first one recorded after it.
Valid time (valid at): what had happened by a date, judged by each partial date's
latest possible day; events that may or may not have happened by then are "uncertain".
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from diplo.events.basic import PartialDate
from diplo.events.errors import InvalidEvent, Problem

if TYPE_CHECKING:
    from diplo.domain.app.ledger import Ledger


def position_as_of(ledger: Ledger, moment: str, label: str = "as_of") -> int:
    """The last log position the ledger held at ``moment`` (a position or an ISO timestamp);
    ``label`` names the value in an error (the CLI passes its option's name)."""
    head = ledger.head()
    if moment.isdigit():
        return min(int(moment), head)
    try:
        when = datetime.fromisoformat(moment)
    except ValueError:
        raise InvalidEvent(
            [
                Problem(
                    "expected a log position like 120 or an ISO timestamp like "
                    "2026-03-01T12:00:00+00:00",
                    label,
                )
            ]
        ) from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    # recorded_at sits inside the hashed bytes; compare instants, not strings
    for position, recorded_at in ledger.recorder.recorded_ats():
        if datetime.fromisoformat(recorded_at) > when:
            return int(position) - 1
    return head


def valid_day(text: str, label: str = "valid_at") -> date:
    """The day a valid-time bound means: the latest day of the (partial) date given."""
    try:
        return PartialDate(text).latest
    except ValueError as error:
        raise InvalidEvent([Problem(str(error), label)]) from None


def happened_by(occurred_on: str | None, day: date) -> str | None:
    """ "yes" if it had certainly happened by ``day``, "uncertain" if it may have, else None."""
    if occurred_on is None:
        return None
    when = PartialDate(occurred_on)
    if when.latest <= day:
        return "yes"
    return "uncertain" if when.earliest <= day else None
