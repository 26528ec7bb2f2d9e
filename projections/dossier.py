"""The HTML dossier: one offline file an analyst can send on (names, sources, charts, print).

Rows keep their data (ids, decimal strings); only what is shown changes here: ids become
names (the id stays, small), amounts get thousands separators and their currency, event types
their reader's name and colour.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

from diplo.projections import svg
from diplo.projections.reports import Rows

if TYPE_CHECKING:
    from diplo.projections.reports import Report, Section

NAMED = {
    "donor",
    "recipient",
    "programme",
    "country",
    "by",
    "org",
    "person",
    "parent",
    "lender",
    "borrower",
    "provider",
    "visitor",
    "to",
    "host",
    "by_country",
    "visitor_country",
}
NAMED_LISTS = {"participants", "partners", "parties", "countries", "about", "signatories"}
NAMED_LISTS |= {"cofinanciers"}
SMALL = {
    "key",
    "grant",
    "delivery",
    "meeting",
    "project",
    "cooperation",
    "item",
    "agreement",
    "loan",
    "disbursement",
    "activity",
    "visit",
    "statement",
    "of",
    "under",
}
COUNTS = {"beds", "quantity", "items", "position", "people", "sources"}
HEADERS = {
    "occurred_on": "date",
    "signed_on": "signed",
    "planned_start": "planned start",
    "planned_on": "planned",
    "recorded_at": "recorded",
    "value": "amount",
    "quantity": "pieces",
    "on": "date",
    "type": "event",
    "equivalents": "stated equivalents",
    "sources": "sources",
    "delivery_total": "delivery total",
    "interest_rate": "terms",
}
DECIMAL = re.compile(r"-?\d+(\.\d+)?")
LONG_WORD = re.compile(r"\S{21,}")


PIECE = 1 << 16  # characters written at once: jinja2 yields a piece per tag and value


def html_chunks(report: Report) -> Iterator[str]:
    """The page, a piece at a time, as the rows come: each table's rows are walked twice
    (counted and their filled columns found, then written), so a report of 200,000 grants
    never holds them all, as in the other formats (``render.markdown_chunks``)."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(
        loader=PackageLoader("diplo.projections", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
    )
    env.filters["figure"] = lambda label: figure(report, label)
    env.globals.update(colour=svg.colour, label=svg.label, link=link, header=header)
    env.globals["table_rows"] = lambda rows, shown: table_rows(report, rows, shown)
    env.filters["breakable"] = breakable
    charts = [(c, Markup(svg.draw(c))) for c in report.charts if c.labels and c.series]
    pieces = env.get_template("report.html.j2").generate(
        report=report,
        charts=charts,
        tables=[shown(section) for section in report.sections],
        unsourced=sum(not e["sources"] for e in report.sources),
    )
    out: list[str] = []
    size = 0
    for piece in pieces:
        out.append(piece)
        size += len(piece)
        if size >= PIECE:
            yield "".join(out)
            out, size = [], 0
    yield "".join(out)


CACHED = 4096  # cells kept by their column and value, whatever the table's length
NUMERIC = ("value", "beds", "quantity", "items", "people", "sources")
DATES = ("occurred_on", "signed_on", "on", "planned_start", "planned_on", "delivered_on")


def table_rows(
    report: Report, rows: Iterable[dict[str, Any]], shown: list[str]
) -> Iterator[Markup]:
    """A table's rows as the page shows them, one ``<tr>`` a line: written here, not by the
    template, whose loop over each cell cost more than the cells (200,000 grants' rows took
    about 10 s). Most cells show their own column's value alone, and names, countries,
    statuses and currencies recur from row to row: those cells are made once each, kept in a
    bounded cache by column and value (``NOT_ALONE`` cells show other columns too)."""
    opening = [
        '<td class="num">' if c in NUMERIC else '<td class="date">' if c in DATES else "<td>"
        for c in shown
    ]
    # typed: 1 and 1.0 (equal as keys) may print differently
    alone = functools.lru_cache(maxsize=CACHED, typed=True)(lambda c, v: cell(report, {c: v}, c))
    for row in rows:
        struck = ' class="retracted"' if row.get("status") == "retracted" else ""
        cells = "".join(
            f"{td}{cell(report, row, c) if c in NOT_ALONE else alone(c, row.get(c))}</td>"
            for td, c in zip(opening, shown, strict=True)
        )
        yield Markup(f"<tr{struck}>{cells}</tr>\n")


@dataclass
class Shown:
    """A section as the page shows it: how many rows, and which columns (``columns``)."""

    section: Section
    count: int
    columns: list[str]


def shown(section: Section) -> Shown:
    """The section's rows counted and their filled columns found, in one walk: by SQLite,
    for rows read by a query (``Rows.filled``), else here."""
    rows = section.walkable()
    wanted = [*section.columns, *TERMS]
    if isinstance(rows, Rows):
        count, filled = rows.filled(wanted)
        return Shown(section, count, columns(section, filled))
    pending, filled, count = set(wanted), set(), 0
    for row in rows:
        count += 1
        if pending:
            found = {column for column in pending if _filled(row, column)}
            filled |= found
            pending -= found
    return Shown(section, count, columns(section, filled))


def grouped(text: str) -> str:
    """``1234567.50`` → ``1,234,567.50``: separators without rounding a decimal string."""
    if not DECIMAL.fullmatch(text):
        return text
    whole, _, fraction = text.partition(".")
    return f"{int(whole):,}" + (f".{fraction}" if fraction else "")


def _pieces(word: str) -> list[str]:
    """A long word cut after its punctuation (``-``, ``/``, ``.``…), then every 16 characters."""
    pieces = []
    for part in re.findall(r"[^-/._,'&?=]*[-/._,'&?=]?", word):
        pieces += [part[i : i + 16] for i in range(0, len(part), 16)]
    return [piece for piece in pieces if piece]


def figure(report: Report, label: str) -> str:
    value = dict(report.figures)[label]
    if report.kinds.get(label) == "money":
        return f"{grouped(value)} {label.rsplit(' ', 1)[-1]}"
    return grouped(value) if report.kinds.get(label) == "count" else value


def columns(section: Section, filled: set[str]) -> list[str]:
    """The columns shown, given those some row fills (``filled``): an amount is its qualifier,
    value and currency in one cell; a loan's terms are one cell; a column no row fills is left
    out (the page must fit the window and the printed page; CSV and JSON keep every column)."""
    shown = [c for c in section.columns if c in ALWAYS or c in filled]
    if "value" in section.columns and "currency" in shown:
        shown.remove("currency")
        if "value" not in shown:
            shown.insert(section.columns.index("value"), "value")
    for merged in ("qualifier", "equivalents", *TERMS[1:]):
        if merged in shown:
            shown.remove(merged)
    terms = any(t in filled for t in TERMS)
    if TERMS[0] in section.columns and terms and TERMS[0] not in shown:
        shown.insert(section.columns.index(TERMS[0]), TERMS[0])
    return shown


ALWAYS = {"status", "value"}
TERMS = ("interest_rate", "maturity_years", "grace_years", "tied")
NOT_ALONE = frozenset({"value", TERMS[0]})  # cells that show other columns of their row too


def _filled(row: dict[str, Any], column: str) -> bool:
    return row.get(column) not in (None, "")


def terms(row: dict[str, Any]) -> str:
    """A loan's terms in one line: ``0.01 % p.a., 15 years incl. 4 of grace, untied``."""
    parts = []
    if _filled(row, "interest_rate"):
        parts.append(f"{row['interest_rate']} % p.a.")
    if _filled(row, "maturity_years"):
        grace = f" incl. {row['grace_years']} of grace" if _filled(row, "grace_years") else ""
        parts.append(f"{row['maturity_years']} years{grace}")
    elif _filled(row, "grace_years"):
        parts.append(f"{row['grace_years']} years of grace")
    if _filled(row, "tied"):
        parts.append(str(row["tied"]))
    return ", ".join(parts)


def header(column: str) -> str:
    return HEADERS.get(column, column.replace("_", " "))


def cell(report: Report, row: dict[str, Any], column: str) -> Markup:
    if column == TERMS[0]:
        return escape(terms(row))
    value = row.get(column)
    if value is None or value == "":
        return Markup("")
    if column == "value":
        qualifier = {"up-to": "up to ", "about": "about "}.get(row.get("qualifier") or "", "")
        amount = (
            f'<span class="nowrap">{escape(qualifier)}{escape(grouped(str(value)))}</span> '
            f"{escape(row.get('currency') or '')}"
        )
        if row.get("equivalents"):  # as stated, beside the amount: never converted or summed
            amount += f'<br><small class="stated">stated: {breakable(str(row["equivalents"]))}'
            amount += "</small>"
        return Markup(amount)
    if column in COUNTS:
        return escape(grouped(str(value)))
    if column == "type":
        colour, label = escape(svg.colour(str(value))), escape(svg.label(str(value)))
        return Markup(f'<i class="swatch" style="background:{colour}"></i>{label}')
    if column == "recorded_at":
        return escape(str(value)[:16].replace("T", " ") + " UTC")
    if column in SMALL:
        return Markup(f'<small class="id">{breakable(str(value))}</small>')
    if column in NAMED:
        return name(report, str(value))
    if column in NAMED_LISTS:
        return Markup("<br>").join(name(report, v) for v in str(value).split(",") if v)
    return breakable(str(value))


def breakable(text: str) -> Markup:
    """Escaped text whose long unbroken words (ids, links, hostile names) may wrap, so no
    column grows wider than the page."""
    if LONG_WORD.search(text) is None:  # most cells: a page of 200,000 rows has millions
        return escape(text)
    out, last = Markup(""), 0
    for word in LONG_WORD.finditer(text):
        out += escape(text[last : word.start()])
        out += Markup("<wbr>").join(escape(piece) for piece in _pieces(word.group(0)))
        last = word.end()
    return out + escape(text[last:])


def name(report: Report, ident: str) -> Markup:
    """A registered id or country code as its name, the id beside it in small type."""
    found = report.names.get(ident)
    if not found:
        return Markup(f'<span class="id">{breakable(ident)}</span>')
    small = f'<small class="id">{breakable(ident)}</small>'
    return Markup(f'<span title="id: {escape(ident)}">{breakable(found)}</span> {small}')


def link(url: str | None) -> Markup:
    """A source's link: only http(s) becomes a hyperlink (never fetched, just followed)."""
    if not url:
        return Markup("")
    if not url.startswith(("https://", "http://")):
        return Markup('<span class="url">{}</span>').format(url)
    return Markup('<a class="url" href="{}" rel="noopener noreferrer">{}</a>').format(
        url, breakable(url)
    )
