"""Chart data from report rows: what each chart counts, in which unit, by event type.

Series are named by event type, so a renderer can give each type one colour in every chart.
Nothing here draws: see ``svg``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from diplo.events.rows import bounds
from diplo.projections.money import only

if TYPE_CHECKING:
    from diplo.projections.provenance import Named

GRANT = "GrantAgreementSigned"
FUNDED, DELIVERED = "EquipmentFunded", "EquipmentDelivered"
ORDER = (  # series and legends list event types in this order, in every chart
    "MeetingHeld",
    GRANT,
    FUNDED,
    DELIVERED,
    "ClinicPlanned",
    "ProjectMilestoneReached",
    "CooperationEstablished",
    "CommitmentStated",
    "PersonAppointed",
)


def ordered(event_type: str) -> tuple[int, str]:
    return (ORDER.index(event_type) if event_type in ORDER else len(ORDER), event_type)


@dataclass
class Chart:
    title: str
    kind: str  # "years": stacked columns on a proportional year axis; "bars": grouped bars
    labels: list[str]  # years ("1999") for "years", categories for "bars"
    series: dict[str, list[float]]  # event type -> one value per label
    unit: str = ""  # what a value counts: "events", "rows", or a currency code


def year(row: dict[str, Any]) -> str:
    """The year of an activity's earliest possible day (``2025?`` counts in 2025)."""
    return str(row["earliest"])[:4]


def activity(timeline: Iterable[dict[str, Any]]) -> Chart:
    """Activity per year, stacked by event type; retracted events are left out."""
    by_type: dict[str, Counter[str]] = defaultdict(Counter)
    for row in only(timeline, "status", "type", "earliest"):  # one pass: it may be long
        if row["status"] != "retracted":
            by_type[row["type"]][year(row)] += 1
    years = sorted({y for counts in by_type.values() for y in counts})
    series = {t: [float(by_type[t][y]) for y in years] for t in sorted(by_type, key=ordered)}
    return Chart("Activity per year, by event type", "years", years, series, "events")


def funding(grants: Iterable[dict[str, Any]], years: list[str]) -> list[Chart]:
    """Grant amounts per year signed, one chart per currency (currencies are never added).

    ``years`` is the axis of the activity chart, so the charts line up.
    """
    totals: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for row in only(grants, "value", "status", "signed_on", "currency"):
        if row["value"] is not None and row["status"] != "retracted":
            signed = bounds(row["signed_on"])[0][:4]
            totals[row["currency"]][signed] += Decimal(row["value"])
    charts = []
    for currency, per_year in sorted(totals.items()):
        axis = sorted(set(years) | set(per_year))
        values = [float(per_year.get(y, 0)) for y in axis]
        title = f"Grant funding per year, {currency}"
        charts.append(Chart(title, "years", axis, {GRANT: values}, currency))
    return charts


def equipment(rows: Iterable[dict[str, Any]], names: Named) -> Chart:
    """Equipment rows per recipient: those a grant funded, and those a delivery listed.

    Rows, not pieces: most sources state no quantity. The two are shown side by side, never
    added, since a delivery may list what a grant funded.
    """
    counts: dict[str, Counter[str]] = {FUNDED: Counter(), DELIVERED: Counter()}
    for row in only(rows, "recipient", "status", "source"):
        if row["recipient"] and row["status"] != "retracted":
            kind = FUNDED if row["source"] == "grant" else DELIVERED
            counts[kind][names.get(row["recipient"], row["recipient"])] += 1
    labels = sorted(set(counts[FUNDED]) | set(counts[DELIVERED]))
    series = {kind: [float(c[label]) for label in labels] for kind, c in counts.items() if c}
    return Chart("Equipment rows by recipient", "bars", labels, series, "rows")
