"""`diplo browse`: Datasette on the views, on 127.0.0.1 only, read-only, with every table and
column described and the auditors' canned queries — fetched as a reader would."""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.chromium import CHROMIUM, Browser
from tests.conftest import SEED, write_jsonl

pytestmark = pytest.mark.slow  # a Datasette server, and Chromium

DIPLO = str(Path(sys.executable).with_name("diplo"))
DB = "ledger~2Eviews"  # Datasette's URL for ledger.views.db (a dot is tilde-encoded)
UNSOURCED = {
    "type": "MeetingHeld",
    "key": "m-1999",
    "meeting": "jp-uz-1999",
    "countries": ["JP", "UZ"],
    "occurred_on": "1999-06",
}
SOURCE = [{"publisher": "Kun.uz", "title": "Grants signed"}]
GRANTS = [
    {
        "type": "GrantAgreementSigned",
        "key": f"g-{n}",
        "grant": f"g-{n}",
        "donor": "JP",
        "recipient": "UZ",
        "purpose": "Equipment",
        "occurred_on": "2018-03",
        "amount": {"value": value, "currency": "JPY"},
        "sources": SOURCE,
    }
    for n, value in ((1, "1234567890.10"), (2, "0.20"))
]
CORRECTION = {
    "type": "EventCorrected",
    "target": "g-2",
    "changes": {"purpose": "Medical equipment"},
    "reason": "the agreement's own wording",
    "recorded_by": "auditor-ann",
}


def run(*args: str) -> None:
    result = subprocess.run([DIPLO, *args], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return str(response.read().decode())


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """`diplo browse` on a free loopback port, over a ledger with the seed, an unsourced
    meeting, two grants with amounts and a correction; stopped (by its id) afterwards."""
    pytest.importorskip("datasette", reason="install the browse extra: pip install -e '.[browse]'")
    folder = tmp_path_factory.mktemp("browse")
    store = str(folder / "ledger.db")
    run("init", "--store", store)
    run("import", str(SEED), "--store", store)
    extra = write_jsonl(folder / "more.jsonl", UNSOURCED, *GRANTS, CORRECTION)
    run("import", extra, "--store", store)
    port = free_port()
    log = (folder / "browse.log").open("w")  # a file: an unread pipe would fill and block it
    process = subprocess.Popen(
        [DIPLO, "browse", "--store", store, "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            fetch(base + "/-/versions.json")
            break
        except (urllib.error.URLError, ConnectionError):
            assert process.poll() is None, (folder / "browse.log").read_text()
            assert time.monotonic() < deadline, "datasette did not start"
            time.sleep(0.3)
    yield base, folder / "ledger.views.db"
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)
    log.close()


def query(base: str, name: str, **params: str) -> list[dict[str, Any]]:
    arguments = "&".join(f"{k}={v}" for k, v in params.items())
    data = json.loads(fetch(f"{base}/{DB}/{name}.json?_shape=array&{arguments}"))
    assert isinstance(data, list), data
    return data


def test_a_table_page_describes_the_table_and_every_column(server: tuple[str, Path]) -> None:
    base, _ = server
    page = fetch(f"{base}/{DB}/grants")
    assert "Grant agreements, with corrections applied." in page
    assert "<dt>donor_country</dt><dd>donor&#39;s country</dd>" in page
    assert "amount as a decimal string (none: not stated)" in page
    assert 'data-column-description="donor&#39;s country"' in page


def test_tables_open_with_their_facets(server: tuple[str, Path]) -> None:
    base, _ = server
    data = json.loads(fetch(f"{base}/{DB}/timeline.json"))
    facets = data["facet_results"]
    facets = facets.get("results", facets)  # 0.65 and 1.0 shapes
    assert {"type", "status", "uncertain"} <= set(facets)


def test_the_canned_queries_answer_the_auditors_questions(server: tuple[str, Path]) -> None:
    base, _ = server
    unsourced = query(base, "unsourced_events")
    assert [row["key"] for row in unsourced if row["type"] == "MeetingHeld"] == ["m-1999"]
    funding = query(base, "funding_per_pair_and_year", pair="JP-UZ")
    assert [r for r in funding if r["year"] == "2018"] == [
        {"pair": "JP-UZ", "year": "2018", "currency": "JPY", "grants": 2, "total": "1234567890.3"}
    ]
    import pwd  # the recorder is who ran the command, whatever the file says

    me = pwd.getpwuid(os.getuid()).pw_name
    corrections = query(base, "corrections_by_person", recorded_by=me)
    assert [(c["target"], c["reason"]) for c in corrections] == [
        ("g-2", "the agreement's own wording")
    ]
    per_person = query(base, "corrections_per_person")
    assert {(r["recorded_by"], r["corrections"]) for r in per_person} == {(me, 1)}
    assert "Events that cite no source" in fetch(f"{base}/{DB}")  # listed on the database page


def test_it_listens_on_loopback_only_and_never_writes(server: tuple[str, Path]) -> None:
    base, views = server
    port = int(base.rsplit(":", 1)[1])
    listening = [
        line.split()[1]
        for line in Path("/proc/net/tcp").read_text().splitlines()[1:]
        if line.split()[1].endswith(f":{port:04X}") and line.split()[3] == "0A"
    ]
    assert listening == [f"0100007F:{port:04X}"]  # 127.0.0.1, and no other address
    before = sqlite3.connect(views).execute("SELECT count(*) FROM grants").fetchone()
    for sql in ("delete from grants", "select 1; delete from grants", "drop table grants"):
        url = f"{base}/{DB}.json?sql={urllib.request.quote(sql)}"
        with pytest.raises(urllib.error.HTTPError):
            fetch(url)
    assert sqlite3.connect(views).execute("SELECT count(*) FROM grants").fetchone() == before


@pytest.mark.skipif(CHROMIUM is None and not os.environ.get("CI"), reason="no chromium")
def test_a_table_page_reads_well_in_a_browser(server: tuple[str, Path], tmp_path: Path) -> None:
    base, _ = server
    browser = Browser(tmp_path / "profile")
    try:
        browser.open(f"{base}/{DB}/sources")
        text = browser.measure("document.body.innerText")
        heading = browser.measure("document.querySelector('h1').innerText")
    finally:
        browser.close()
    assert heading == "sources" and "one row per source it cites" in text
    assert "who published it" in text and "UzA (National News Agency of Uzbekistan)" in text


def test_without_datasette_it_says_how_to_install_it(
    diplo: Any, monkeypatch: pytest.MonkeyPatch, store: str
) -> None:
    monkeypatch.setitem(sys.modules, "datasette", None)  # as if it were not installed
    result = diplo("browse", "--store", store)
    assert result.exit_code == 1
    assert "pip install -e '.[browse]'" in result.output
