"""Rendering a report as Markdown, CSV, JSON or HTML (jinja2, autoescaped, charts inline)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from diplo.projections.reports import Report


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
    """One offline file: inline SVG charts, no scripts, nothing fetched (see ``dossier``)."""
    from diplo.projections.dossier import html as dossier

    return dossier(report)
