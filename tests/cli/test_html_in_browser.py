"""The HTML dossier as a reader sees it: headless Chromium, offline, no scripts, names and
sources, years spaced by time, whole-number counts, one colour per event type, fits the window
and the printed page."""

from __future__ import annotations

import os
import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from diplo.cli.main import app
from tests.chromium import CHROMIUM, Browser, pdf_pages, png_size
from tests.conftest import SEED, write_jsonl

pytestmark = pytest.mark.slow  # headless Chromium

if CHROMIUM is None and not os.environ.get("CI"):
    pytest.skip("chromium is not installed (.ci/run installs it)", allow_module_level=True)

EVIL = "<script>document.body.setAttribute('data-pwned','yes')</script> Clinic"
KUN = {
    "publisher": "Kun.uz",
    "title": "Japan grants 1.2 billion yen for hospitals",
    "url": "https://kun.uz/en/news/2018/03/16/japan-grant",
    "published_on": "2018-03-16",
}
GAZETA = {"publisher": "Gazeta.uz", "title": "Japan signs grant", "published_on": "2018-03-17"}
HISTORY = [
    {  # the oldest event: no source at all
        "type": "MeetingHeld",
        "key": "m-1999",
        "meeting": "jp-uz-1999",
        "countries": ["JP", "UZ"],
        "occurred_on": "1999-06",
        "summary": "First consultations",
    },
    {  # two independent publishers
        "type": "GrantAgreementSigned",
        "key": "g-2018",
        "grant": "g-2018",
        "donor": "JP",
        "recipient": "moh-uz",
        "purpose": "Hospital equipment",
        "occurred_on": "2018-03-15",
        "amount": {"value": "1234567890", "currency": "JPY"},
        "sources": [KUN, GAZETA, KUN | {"title": "Follow-up"}],
    },
    {
        "type": "EquipmentFunded",
        "key": "e-2018",
        "grant": "g-2018",
        "occurred_on": "2018-04",
        "items": [{"description": "Ultrasound scanner", "quantity": 1200}],
        "sources": [KUN],
    },
    {
        "type": "OrganizationRegistered",
        "org": "evil",
        "name": EVIL,
        "country": "UZ",
        "kind": "hospital",
    },
    {
        "type": "GrantAgreementSigned",
        "key": "g-evil",
        "grant": "g-evil",
        "donor": "JP",
        "recipient": "evil",
        "purpose": "Equipment",
        "occurred_on": "2024-05",
        "amount": {"value": "91350", "currency": "USD"},
        "sources": [GAZETA],
    },
    {
        "type": "EquipmentFunded",
        "grant": "g-evil",
        "occurred_on": "2024-06",
        "items": [{"description": "Scanner", "quantity": 2}],
        "sources": [GAZETA],
    },
]


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The JP–UZ dossier of the seed example plus events from 1999, 2018 and 2024."""
    folder = tmp_path_factory.mktemp("dossier")
    store = str(folder / "ledger.db")
    runner = CliRunner()
    for args in (
        ["init", "--store", store],
        ["import", str(SEED), "--store", store],
        ["import", write_jsonl(folder / "history.jsonl", *HISTORY), "--store", store],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
    out = folder / "jp-uz.html"
    args = ["report", "partnership", "JP", "UZ", "--format", "html", "--out", str(out)]
    result = runner.invoke(app, [*args, "--store", store])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    opened = Browser(tmp_path_factory.mktemp("profile"))
    yield opened
    opened.close()


def svg_of(html: str, title: str) -> str:
    found = re.search(r'<svg[^>]*aria-label="' + re.escape(title) + r'".*?</svg>', html, re.S)
    assert found, f"no chart {title!r}"
    return found.group(0)


def test_the_dossier_is_one_offline_file_that_runs_no_code(page: Path, browser: Browser) -> None:
    html = page.read_text()
    assert "<script" not in html and "<link" not in html and "@import" not in html
    assert not re.search(r"""\bsrc\s*=|url\(""", html)  # nothing is fetched
    links = re.findall(r"""<(\w+)[^>]*\bhref\s*=\s*["']([^"']*)""", html)
    assert links and {tag for tag, _ in links} == {"a"}  # sources' links, followed only on a click
    browser.open(page.as_uri())
    assert browser.measure("document.body.getAttribute('data-pwned')") is None  # never ran
    text = browser.measure("document.body.innerText")
    assert "<script>document.body.setAttribute" in text  # the hostile name, shown as text
    assert "Partnership JP-UZ" in text and "Japan and Uzbekistan" in text


def test_the_dossier_fits_the_window_and_the_printed_page(page: Path, browser: Browser) -> None:
    overflow = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    for width in (1280, 820):
        browser.open(page.as_uri(), width=width)
        assert browser.measure(overflow) == 0, f"wider than a {width}px window"
    browser.open(page.as_uri(), width=1280)
    height = browser.measure("document.documentElement.scrollHeight")
    shot = browser.screenshot()
    assert png_size(shot) == (1280, height) and 2000 < height < 12000
    assert len(shot) > 100_000  # a page of text, tables and charts, not a blank one
    browser.media("print")
    browser.open(page.as_uri(), width=703)  # A4 less its 12 mm margins, at 96 dpi
    assert browser.measure(overflow) == 0, "wider than the printed page"
    assert 2 <= pdf_pages(browser.pdf()) <= 12
    browser.media("screen")


def test_chart_labels_and_legends_fit_their_chart(page: Path, browser: Browser) -> None:
    browser.open(page.as_uri())
    outside = browser.measure(
        """[...document.querySelectorAll('figure.chart')].flatMap(figure => {
             const box = figure.getBoundingClientRect();
             return [...figure.querySelectorAll('svg text, .legend li')]
               .filter(e => { const r = e.getBoundingClientRect();
                              return r.left < box.left || r.right > box.right; })
               .map(e => e.textContent); })"""
    )
    assert outside == []
    names = browser.measure(
        "[...document.querySelectorAll('svg text.name')].map(e => e.firstChild.textContent)"
    )
    assert (
        "Scientific and Practical Medical Center for Pediatric Oncology, Hematology and "
        "Immunology" in names
    )  # in full, not cut short


def test_the_sources_section_names_each_events_sources_and_counts_independent_ones(
    page: Path, browser: Browser
) -> None:
    browser.open(page.as_uri())
    rows = browser.measure(
        "[...document.querySelectorAll('#sources + p + table tbody tr')].map(r => r.innerText)"
    )
    grant = next(row for row in rows if "g-2018" in row)
    assert "Kun.uz, “Japan grants 1.2 billion yen for hospitals”, 2018-03-16" in grant
    assert "https://kun.uz/en/news/2018/03/16/japan-grant" in grant and "Gazeta.uz" in grant
    assert grant.rstrip().endswith("2")  # three articles, two publishers
    meeting = next(row for row in rows if "m-1999" in row)
    assert "no source" in meeting and meeting.rstrip().endswith("0")
    assert len(rows) == 15  # every event of the timeline: the seed's 10 and 5 more
    assert "1 of 15 events cite no source" in browser.measure("document.body.innerText")


def test_years_are_placed_by_time_and_counts_are_whole_numbers(page: Path) -> None:
    activity = svg_of(page.read_text(), "Activity per year, by event type")
    centres = {
        year: float(x) + float(width) / 2
        for x, width, year in re.findall(
            r'<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)"[^>]*><title>(\d{4}):', activity
        )
    }
    assert set(centres) == {"1999", "2018", "2024", "2025"}
    year = (centres["2025"] - centres["1999"]) / 26  # the width of one year
    assert centres["2018"] - centres["1999"] == pytest.approx(19 * year, abs=0.3)
    assert centres["2024"] - centres["2018"] == pytest.approx(6 * year, abs=0.3)
    assert centres["2025"] - centres["2024"] == pytest.approx(year, abs=0.3)
    labelled = re.findall(r'class="year">(\d{4})<', activity)
    assert {"1999", "2018", "2025"} <= set(labelled)  # 2024 stands too close to 2025
    ticks = re.findall(r'text-anchor="end">([\d,.]+)<', activity)
    assert ticks and all(re.fullmatch(r"\d+", tick) for tick in ticks)


def test_money_and_counts_have_thousands_separators(page: Path, browser: Browser) -> None:
    browser.open(page.as_uri())
    text = browser.measure("document.body.innerText")
    assert "granted JPY\n1,234,567,890" in text  # the figure, with its unstated count beside
    assert "1,234,567,890 JPY" in browser.measure(
        "document.querySelector('#grants + table').innerText"
    )
    assert "1,200" in browser.measure("document.querySelector('#equipment + table').innerText")
    funding = svg_of(page.read_text(), "Grant funding per year, JPY")
    assert "1,234,567,890" in funding


def test_each_event_type_has_one_colour_in_every_chart_and_legend(page: Path) -> None:
    html = page.read_text()
    colours: dict[str, set[str]] = defaultdict(set)
    for fill, title in re.findall(r'<rect [^>]*fill="(#\w+)"><title>([^<]*)</title>', html):
        colours[re.sub(r"^.*?: |\s[\d,.]+$", "", title)].add(fill)
    for swatch, name in re.findall(r'class="swatch" style="background:(#\w+)"></i>([^<:]+)', html):
        colours[name.strip()].add(swatch)  # legends and the timeline
    for swatch, name in re.findall(r'style="background:(#\w+)" title="([^"]+)"></i>', html):
        colours[name].add(swatch)  # the sources section
    assert {"Grant signed", "Equipment funded", "Meeting"} <= set(colours)
    assert all(len(found) == 1 for found in colours.values()), colours
    assert len({next(iter(c)) for c in colours.values()}) == len(colours)  # and no two share one


def test_ids_are_shown_as_names_with_the_id_beside_them(page: Path, browser: Browser) -> None:
    html = page.read_text()
    assert (
        '<span title="id: moh-uz">Ministry of Health of the Republic of Uzbekistan</span>' in html
    )
    browser.open(page.as_uri())
    grants = browser.measure("document.querySelector('#grants + table').innerText")
    assert "Grant Assistance for Grassroots Human Security Projects ggp-jp" in grants
    assert "Japan JP" in grants
