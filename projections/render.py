"""Rendering a report as Markdown, CSV, JSON or HTML (jinja2, autoescaped, charts inline)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from diplo.projections.reports import Chart, Report


def markdown(report: Report) -> str:
    out = [f"# {report.title}", ""]
    out += [f"- **{label}**: {_md(value)}" for label, value in report.figures]
    for section in report.sections:
        out += ["", f"## {section.title} ({len(section.rows)})", ""]
        if not section.rows:
            out.append("_None recorded._")
            continue
        out.append("| " + " | ".join(section.columns) + " |")
        out.append("|" + "---|" * len(section.columns))
        out += [
            "| " + " | ".join(_md(row.get(c)) for c in section.columns) + " |"
            for row in section.rows
        ]
    return "\n".join(out) + "\n"


def _md(value: Any) -> str:
    text = "" if value is None else str(value)
    for char in "\\|*_`<>[]":
        text = text.replace(char, "\\" + char)
    return text.replace("\n", " ")


def as_csv(report: Report) -> str:
    """The report's main table (its last section, or its only one) as CSV."""
    section = report.sections[-1]
    buffer = io.StringIO()
    writer = csv.DictWriter(
        buffer, fieldnames=section.columns, extrasaction="ignore", lineterminator="\n"
    )
    writer.writeheader()
    writer.writerows(section.rows)
    return buffer.getvalue()


def as_json(report: Report) -> str:
    return json.dumps(report.as_data(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def html(report: Report) -> str:
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(
        loader=PackageLoader("diplo.projections", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
    )
    charts = [(chart.title, _svg(chart)) for chart in report.charts if chart.labels]
    return env.get_template("report.html.j2").render(report=report, charts=charts)


def _svg(chart: Chart) -> Any:
    """An inline SVG chart, without pygal's (optional) scripts; XML-escaped labels, so safe."""
    from xml.etree import ElementTree

    import pygal
    from markupsafe import Markup

    kind = pygal.StackedBar if chart.kind == "stacked" else pygal.Bar
    plot = kind(
        js=[],
        disable_xml_declaration=True,
        width=720,
        height=320,
        title=chart.title,
        show_legend=chart.kind == "stacked",
        x_label_rotation=20 if len(chart.labels) > 6 else 0,
    )
    plot.x_labels = chart.labels
    for name, values in chart.series.items():
        plot.add(name, values)
    tree = plot.render_tree()
    for parent in list(tree.iter()):
        for script in [child for child in parent if str(child.tag).endswith("script")]:
            parent.remove(script)  # interactivity only: a dossier runs no code
    return Markup(ElementTree.tostring(tree, encoding="unicode"))
