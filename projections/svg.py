"""Charts drawn as plain inline SVG: no scripts, nothing fetched, every label escaped.

Drawn by hand rather than by a chart library so that the dossier can promise what an analyst
checks: years placed by time (1999, 2018 and 2025 are not evenly spaced), whole-number ticks
for counts, thousands separators, and one colour per event type in every chart.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from functools import cache
from html import escape

from diplo.projections.charts import Chart

WIDTH = 720
CHAR = 7.0  # average width of a 12px label, to size margins and skip labels that would collide

# Colour-blind-safe (Tableau 10), one per event type, the same in every chart and legend.
COLOURS = {
    "MeetingHeld": "#4e79a7",
    "GrantAgreementSigned": "#f28e2b",
    "EquipmentFunded": "#e15759",
    "EquipmentDelivered": "#76b7b2",
    "ClinicPlanned": "#59a14f",
    "ProjectMilestoneReached": "#edc948",
    "CooperationEstablished": "#b07aa1",
    "CommitmentStated": "#ff9da7",
    "PersonAppointed": "#9c755f",
}
# Tableau 20's other colours, handed to the other declared types in catalog order.
SPARE = (
    "#a0cbe8",
    "#ffbe7d",
    "#8cd17d",
    "#b6992d",
    "#86bcb6",
    "#d37295",
    "#fabfd2",
    "#79706e",
    "#d4a6c8",
    "#f1ce63",
    "#bab0ac",
    "#ff9d9a",
    "#d7b5a6",
)
LABELS = {
    "MeetingHeld": "Meeting",
    "GrantAgreementSigned": "Grant signed",
    "EquipmentFunded": "Equipment funded",
    "EquipmentDelivered": "Equipment delivered",
    "ClinicPlanned": "Clinic planned",
    "ProjectMilestoneReached": "Project milestone",
    "CooperationEstablished": "Cooperation",
    "CommitmentStated": "Commitment",
    "PersonAppointed": "Appointment",
}


def colour(event_type: str) -> str:
    """The colour of an event type: the same in every chart, and no two types alike while
    the palette lasts (the declared types beyond COLOURS take the spares in catalog order)."""
    return _palette().get(event_type) or SPARE[sum(map(ord, event_type)) % len(SPARE)]


@cache
def _palette() -> dict[str, str]:
    from diplo.events.declaration import declarations

    others = [name for name in declarations() if name not in COLOURS]
    return {**COLOURS, **{name: SPARE[i % len(SPARE)] for i, name in enumerate(others)}}


def label(event_type: str) -> str:
    """A reader's name for an event type (``GrantAgreementSigned`` → ``Grant signed``)."""
    if event_type in LABELS:
        return LABELS[event_type]
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", event_type).capitalize()


def number(value: float, decimals: int = 0) -> str:
    """Thousands separators; decimals only where the value has them."""
    if decimals == 0 and value != round(value):
        decimals = 2
    return f"{value:,.{decimals}f}"


def ticks(top: float, whole: bool) -> list[float]:
    """Evenly spaced round ticks from 0 to at least ``top``: whole numbers when counting."""
    top = max(top, 1.0)
    raw = top / 5
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    if whole:
        step = max(1.0, math.ceil(step))
    count = math.ceil(top / step - 1e-9)
    return [step * i for i in range(count + 1)]


def draw(chart: Chart) -> str:
    return years(chart) if chart.kind == "years" else bars(chart)


def _svg(height: float, title: str, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0f}" '
        f'width="{WIDTH}" height="{height:.0f}" role="img" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>{''.join(body)}</svg>"
    )


def _text(x: float, y: float, text: str, anchor: str = "middle", cls: str = "") -> str:
    css = f' class="{cls}"' if cls else ""
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{css}>{escape(text)}</text>'


def years(chart: Chart) -> str:
    """Stacked columns placed on a linear time axis: one slot per calendar year in range."""
    first, last = int(chart.labels[0]), int(chart.labels[-1])
    totals = [sum(values) for values in zip(*chart.series.values(), strict=True)]
    grid = ticks(max(totals), chart.unit in ("events", "rows"))
    left, right, top, bottom = 14 + max(len(number(t)) for t in grid) * CHAR, 16, 30, 210
    slot = (WIDTH - left - right) / (last - first + 1)

    def x(year: int) -> float:
        return left + (year - first + 0.5) * slot

    def h(value: float) -> float:
        return (bottom - top) * value / grid[-1]

    body = [_text(2, 12, chart.unit, "start", "unit")]
    for t in grid:
        body += [_line(left, WIDTH - right, bottom - h(t), bottom - h(t), "grid")]
        body += [_text(left - 6, bottom - h(t) + 4, number(t), "end")]
    for year in range(first, last + 1):  # a small mark per year shows how time is spaced
        body.append(_line(x(year), x(year), bottom, bottom + 4, "axis"))
    for year_label in _spaced(chart.labels, x):
        body.append(_text(x(int(year_label)), bottom + 18, year_label, cls="year"))
    bar = min(slot * 0.8, 56)
    for index, year_label in enumerate(chart.labels):
        base: float = bottom
        for event_type, values in chart.series.items():
            if values[index]:
                base -= h(values[index])
                tip = f"{year_label}: {label(event_type)} {number(values[index])}"
                body.append(
                    _rect(
                        x(int(year_label)) - bar / 2, base, bar, h(values[index]), event_type, tip
                    )
                )
    for index in _labelled(chart.labels, totals, x):
        text, cx, y = (
            number(totals[index]),
            x(int(chart.labels[index])),
            bottom - h(totals[index]) - 4,
        )
        if cx + len(text) * CHAR / 2 < WIDTH - 2:
            body.append(_text(cx, y, text, cls="value"))
        else:  # near the right edge, the label ends at the edge: no glyph width to guess
            body.append(_text(WIDTH - 2, y, text, anchor="end", cls="value"))
    body.append(_line(left, WIDTH - right, bottom, bottom, "axis"))
    return _svg(bottom + 28, chart.title, body)


def _line(x1: float, x2: float, y1: float, y2: float, cls: str) -> str:
    return f'<line x1="{x1:.1f}" x2="{x2:.1f}" y1="{y1:.1f}" y2="{y2:.1f}" class="{cls}"/>'


def _rect(x: float, y: float, width: float, height: float, event_type: str, tip: str) -> str:
    """A bar in its event type's colour; its tooltip says what it stands for."""
    return (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}" '
        f'fill="{colour(event_type)}"><title>{escape(tip)}</title></rect>'
    )


def _labelled(years: list[str], totals: list[float], x: Callable[[int], float]) -> list[int]:
    """Which columns get their total written above them: those not zero whose label does not
    reach a neighbour's (the tooltip and the tables give the rest)."""
    standing = [i for i, total in enumerate(totals) if total]
    room = {i: len(number(totals[i])) * CHAR / 2 + 3 for i in standing}
    return [
        i
        for i in standing
        if all(
            abs(x(int(years[i])) - x(int(years[j]))) >= room[i] + room[j]
            for j in standing
            if j != i
        )
    ]


def _spaced(labels: list[str], x: Callable[[int], float]) -> list[str]:
    """The year labels that fit without colliding: the first and last, then the others in
    order where there is room (every bar still stands at its year; its tooltip names it)."""
    kept = [labels[0], labels[-1]] if len(labels) > 1 else list(labels)
    for candidate in labels[1:-1]:
        if all(abs(x(int(candidate)) - x(int(k))) >= 4.5 * CHAR for k in kept):
            kept.append(candidate)
    return sorted(kept)


def bars(chart: Chart) -> str:
    """Horizontal bars, one group per label (names may be long: they get the full width)."""
    grid = ticks(max(max(values) for values in chart.series.values()), chart.unit == "rows")
    left, right, top = 8, 16 + len(number(grid[-1])) * CHAR, 30
    row_height = 22 + 16 * len(chart.series)
    bottom = top + row_height * len(chart.labels)

    def w(value: float) -> float:
        return (WIDTH - left - right) * value / grid[-1]

    body = [_text(WIDTH - right, 12, chart.unit, "end", "unit")]
    for t in grid:
        body += [_line(left + w(t), left + w(t), top, bottom, "grid")]
        body += [_text(left + w(t), top - 6, number(t))]
    room = int((WIDTH - 16) / CHAR)
    for index, name in enumerate(chart.labels):
        y = top + index * row_height + 16
        shown = name if len(name) < room else name[: room - 1] + "…"  # the tooltip has it all
        body.append(
            f'<text x="{left}" y="{y:.1f}" class="name">{escape(shown)}'
            f"<title>{escape(name)}</title></text>"
        )
        drawn = [(t, values[index]) for t, values in chart.series.items() if values[index]]
        for offset, (event_type, value) in enumerate(drawn):
            bar_y = y + 6 + offset * 16
            tip = f"{name}: {label(event_type)} {number(value)}"
            body.append(_rect(left, bar_y, w(value), 12, event_type, tip))
            body.append(_text(left + w(value) + 4, bar_y + 10, number(value), "start", "value"))
    return _svg(bottom + 8, chart.title, body)
