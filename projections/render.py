"""Rendering a report as Markdown, CSV, JSON or HTML (jinja2, autoescaped, charts inline).

What the ledger holds must not act in a reader's tools: Markdown shows hidden characters
(controls, bidirectional overrides) as escapes, since a Markdown file is read as plain text
too; JSON keeps the text exact but writes them as JSON escapes; CSV keeps it exact except for
the formula guard (see ``csv_cell``); HTML is autoescaped.
"""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

from diplo.events.inert import json_inert, visible
from diplo.projections.reports import Report


def markdown(report: Report) -> str:
    out = [f"# {_md(report.title)}", ""]
    out += [f"- **{_md(label)}**: {_md(value)}" for label, value in report.figures]
    for section in report.sections:
        out += ["", f"## {_md(section.title)} ({len(section.rows)})", ""]
        if not section.rows:
            out.append("_None recorded._")
            continue
        out.append("| " + " | ".join(section.columns) + " |")
        out.append("|" + "---|" * len(section.columns))
        out += [
            "| " + " | ".join(_md(row.get(c)) for c in section.columns) + " |"
            for row in section.rows
        ]
    if report.sources:
        out += _md_sources(report.sources)
    return "\n".join(out) + "\n"


def _md_sources(events: list[dict[str, Any]]) -> list[str]:
    """The sources each event cites, and how many independent ones (distinct publishers)."""
    out = ["", f"## Sources ({len(events)})", ""]
    for event in events:
        cited = "; ".join(
            ", ".join(_md(s.get(f)) for f in ("publisher", "title", "url") if s.get(f))
            for s in event["sources"]
        )
        status = "" if event["status"] == "active" else f" [{event['status']}]"
        out.append(
            f"- {_md(event['occurred_on'])} {_md(event['summary'])}{_md(status)} "
            f"(`{_md(event['key'])}`): {cited or 'NO SOURCE'} "
            f"— independent sources: {event['independent_sources']}"
        )
    return out


def _md(value: Any) -> str:
    text = "" if value is None else str(value)
    for char in "\\|*_`<>[]":
        text = text.replace(char, "\\" + char)
    return visible(text.replace("\n", " "))


def as_csv(report: Report) -> str:
    """The report's main table (its last section, or its only one) as CSV, formulas guarded."""
    section = report.sections[-1]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([csv_cell(column) for column in section.columns])
    writer.writerows([csv_cell(row.get(c)) for c in section.columns] for row in section.rows)
    return buffer.getvalue()


# What makes a spreadsheet read a cell as a formula (OWASP "CSV injection"), the full-width
# forms of those signs (cheap to guard), and the guard itself, so that it can always be undone.
FORMULA_SIGNS = frozenset("=+-@\t\r'\uff1d\uff0b\uff0d\uff20")
_PLAIN_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def csv_cell(value: Any) -> str:
    """A CSV cell that a spreadsheet shows and never evaluates.

    A cell beginning with ``=``, ``+``, ``-``, ``@``, a tab, a carriage return (or their
    full-width forms, or a quote) gets a leading ``'``, which spreadsheets read as "text";
    plain numbers such as ``-5`` or ``12.50`` stay as they are. To read a cell back exactly,
    drop one leading ``'`` when there is one.
    """
    text = "" if value is None else str(value)
    if text[:1] in FORMULA_SIGNS and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def as_json(report: Report) -> str:
    """The report's data, exact; hidden characters written as JSON escapes."""
    text = json.dumps(report.as_data(), ensure_ascii=False, indent=2, sort_keys=True)
    return json_inert(text) + "\n"


def html(report: Report) -> str:
    """One offline file: inline SVG charts, no scripts, nothing fetched (see ``dossier``)."""
    from diplo.projections.dossier import html as dossier

    return dossier(report)
