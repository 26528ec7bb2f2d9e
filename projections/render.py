"""Rendering a report as Markdown, CSV, JSON or HTML (jinja2, autoescaped, charts inline).

What the ledger holds must not act in a reader's tools: Markdown shows hidden characters
(controls, bidirectional overrides) as escapes, since a Markdown file is read as plain text
too; JSON keeps the text exact but writes them as JSON escapes; CSV keeps it exact except for
the formula guard (see ``csv_cell``); HTML is autoescaped.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from typing import Any

from diplo.events.inert import json_array, json_at, json_inert, visible
from diplo.projections.reports import Report, counted

BATCH = 500  # rows written at once by the streaming renderers


def markdown(report: Report) -> str:
    return "".join(markdown_chunks(report))


def markdown_chunks(report: Report, batch: int = BATCH) -> Iterator[str]:
    """The Markdown report, ``batch`` table rows at a time. A table is headed by its count,
    so its rows are walked twice (counted, then written): a ``Rows`` is a cursor read afresh
    each time, within the report's one read transaction, and 200,000 grants are never held
    at once."""
    out = [f"# {_md(report.title)}", ""]
    out += [f"- **{_md(label)}**: {_md(value)}" for label, value in report.figures]
    for section in report.sections:
        rows = section.walkable()
        count = counted(rows)
        out += ["", f"## {_md(section.title)} ({count})", ""]
        if not count:
            out.append("_None recorded._")
            continue
        out.append("| " + " | ".join(section.columns) + " |")
        out.append("|" + "---|" * len(section.columns))
        for row in rows:
            out.append("| " + " | ".join(_md(row.get(c)) for c in section.columns) + " |")
            if len(out) >= batch:
                yield "\n".join(out) + "\n"
                out = []
    if report.sources:
        out += ["", f"## Sources ({len(report.sources)})", ""]
        for line in _md_sources(report.sources):
            out.append(line)
            if len(out) >= batch:
                yield "\n".join(out) + "\n"
                out = []
    if out:
        yield "\n".join(out) + "\n"


def _md_sources(events: Iterable[dict[str, Any]]) -> Iterator[str]:
    """The sources each event cites, and how many independent ones (distinct publishers),
    a line an event."""
    for event in events:
        cited = "; ".join(
            ", ".join(_md(s.get(f)) for f in ("publisher", "title", "url") if s.get(f))
            for s in event["sources"]
        )
        status = "" if event["status"] == "active" else f" [{event['status']}]"
        yield (
            f"- {_md(event['occurred_on'])} {_md(event['summary'])}{_md(status)} "
            f"(`{_md(event['key'])}`): {cited or 'NO SOURCE'} "
            f"— independent sources: {event['independent_sources']}"
        )


# Markdown's own characters escaped, a newline made a space (a table row is one line).
_MD = str.maketrans({**{char: "\\" + char for char in "\\|*_`<>[]"}, "\n": " "})


def _md(value: Any) -> str:
    return visible("" if value is None else str(value).translate(_MD))


def as_csv(report: Report) -> str:
    """The report's main table (its last section, or its only one) as CSV, formulas guarded."""
    return "".join(csv_chunks(report))


def csv_chunks(report: Report, batch: int = BATCH) -> Iterator[str]:
    """``as_csv`` a batch of rows at a time, as they come from the views."""
    section = report.sections[-1]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([csv_cell(column) for column in section.columns])
    for n, row in enumerate(section.rows, 1):
        writer.writerow([csv_cell(row.get(c)) for c in section.columns])
        if n % batch == 0:
            yield _taken(buffer)
    yield _taken(buffer)


def _taken(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


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
    return "".join(json_chunks(report))


def json_chunks(report: Report, batch: int = BATCH) -> Iterator[str]:
    """``as_json`` written as the rows come: the same text as ``json.dumps(report.as_data(),
    ensure_ascii=False, indent=2, sort_keys=True)``, each row dumped alone and indented to its
    depth (a JSON string holds no raw newline, so indenting its lines is exact)."""
    head: dict[str, Any] = {"title": report.title, "figures": dict(report.figures)}
    if report.sources:
        head["sources"] = report.sources
    sections = {s.title: s.rows for s in report.sections}
    for n, key in enumerate(sorted([*head, "sections"])):
        yield json_inert(("{" if n == 0 else ",") + f"\n  {json_at(key, 0)}: ")
        if key == "sections":
            yield from _json_sections(sections, batch)
        elif key == "sources":  # a list at depth 1, an event at a time
            yield from json_array(report.sources, 1, batch)
        else:
            yield json_inert(json_at(head[key], 1))
    yield "\n}\n"


def _json_sections(sections: dict[str, Iterable[dict[str, Any]]], batch: int) -> Iterator[str]:
    if not sections:
        yield "{}"
        return
    for n, title in enumerate(sorted(sections)):
        yield json_inert(("{" if n == 0 else ",") + f"\n    {json_at(title, 0)}: ")
        yield from json_array(sections[title], 2, batch)  # a list at depth 2, items at 3
    yield "\n  }"


def chunks(report: Report, form: str) -> Iterator[str]:
    """The report in ``form`` (md, html, csv, json) as pieces of text to write one after the
    other, its rows streamed as they come from the views."""
    if form == "json":
        return json_chunks(report)
    if form == "csv":
        return csv_chunks(report)
    if form == "md":
        return markdown_chunks(report)
    return html_chunks(report)


def html(report: Report) -> str:
    """One offline file: inline SVG charts, no scripts, nothing fetched (see ``dossier``)."""
    return "".join(html_chunks(report))


def html_chunks(report: Report) -> Iterator[str]:
    from diplo.projections.dossier import html_chunks as dossier

    return dossier(report)
