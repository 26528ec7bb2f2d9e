"""Any text a name or a purpose may hold goes through every output without crashing it: tables
show it inertly (``shown``), and the machine formats give back exactly what is stored.

Markup, controls that the input allows (C1, tab and newline in free text), bidi overrides,
astral characters: whatever a clerk pastes and the catalog accepts.
"""

from __future__ import annotations

import csv
import html
import io
import json
import os
import tempfile
import unicodedata
from contextlib import redirect_stdout
from pathlib import Path
from unittest.mock import patch

import typer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diplo.cli.main import app
from diplo.cli.safe import shown
from diplo.domain.store.opening import open_ledger
from diplo.events.inert import hidden
from tests.conftest import GRANT, ORG, write_jsonl

MEMORY = "/dev/shm" if os.path.isdir("/dev/shm") else None  # no disk syncs: many small ledgers
C0_AND_DEL = "".join(map(chr, range(0x20))) + "\x7f"
HOSTILE = [
    "[/bold]", "[bold]", "[link=https://evil.example]", "[/link]", ":smile:", "\x9b2J", "\x85",
    "\u202e", "\u2066", "\u200b", "\u2028", "\ufeff", "\U000e0041", "𝔘𝔫𝔦", "🇯🇵", "e\u0301",
    "=1+1", "@x", "'", '"', "<b>&amp;", "\\x1b", "|", "*_`",
]  # fmt: skip


def texts(allowed: str = "") -> st.SearchStrategy[str]:
    """Any Unicode but surrogates, salted with hostile fragments; C0 and DEL only if allowed."""
    any_char = st.characters(
        exclude_categories=["Cs"],
        exclude_characters="".join(c for c in C0_AND_DEL if c not in allowed),
    )
    pieces = st.one_of(st.text(any_char, min_size=1, max_size=6), st.sampled_from(HOSTILE))
    return st.lists(pieces, min_size=1, max_size=8).map("".join).filter(str.strip)


def stored_form(text: str) -> str:
    """What the ledger records: NFC, then stripped of surrounding white space."""
    return unicodedata.normalize("NFC", text).strip()


class Run:
    """The CLI in-process, its click command built once (typer builds it per call otherwise,
    a fifth of a second each), with a wide terminal so that table cells are not folded."""

    command = typer.main.get_command(app)

    def __init__(self, store: str) -> None:
        self.store = store

    def __call__(self, *args: str) -> str:
        out = io.StringIO()
        with redirect_stdout(out), patch.dict(os.environ, {"COLUMNS": "4000"}):
            code = self.command.main(args=[*args, "--store", self.store], standalone_mode=False)
        assert code in (None, 0), (args, code)
        return out.getvalue()


def recorded(folder: str, name: str, purpose: str) -> tuple[Run, str, str]:
    """A new ledger holding an organisation called ``name`` and a grant for ``purpose``."""
    store = str(Path(folder) / "ledger.db")
    open_ledger(store, create=True).close()
    run = Run(store)
    lines = write_jsonl(
        Path(folder) / "in.jsonl", ORG | {"name": name}, GRANT | {"purpose": purpose}
    )
    run("import", lines)
    org_key, grant_key = (json.loads(line)["key"] for line in run("export").splitlines())
    return run, org_key, grant_key


def inert(screen: str) -> bool:
    return not any(hidden(char) for char in screen if char != "\n")


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=texts(), purpose=texts(allowed="\n\t"))
def test_arbitrary_text_round_trips_through_every_output(name: str, purpose: str) -> None:
    with tempfile.TemporaryDirectory(dir=MEMORY) as folder:
        run, org_key, grant_key = recorded(folder, name, purpose)
        name, purpose = stored_form(name), stored_form(purpose)

        events = [row["event"] for row in json.loads(run("log", "--format", "json"))]
        assert [events[0]["name"], events[1]["purpose"]] == [name, purpose]
        lines = run("log", "--format", "jsonl").splitlines()
        assert [json.loads(line)["event"] for line in lines] == events
        assert json.loads(run("show", org_key, "--format", "json"))["event"]["name"] == name
        assert json.loads(run("audit", "g1", "--format", "json"))[0]["key"] == grant_key

        assert inert(run("log")) and inert(run("audit", "moh-uz")) and inert(run("audit"))
        shown_org, shown_grant = run("show", org_key), run("show", grant_key)
        assert inert(shown_org) and shown(name) in shown_org
        assert inert(shown_grant) and shown(purpose) in shown_grant

        report = json.loads(run("report", "grants", "--format", "json"))
        assert report["sections"]["Grants"][0]["purpose"] == purpose
        (row,) = csv.DictReader(io.StringIO(run("report", "grants", "--format", "csv")))
        cell = row["purpose"]
        assert (cell[1:] if cell.startswith("'") else cell) == purpose
        page = run("report", "grants", "--format", "html").replace("<wbr>", "")  # break hints
        assert purpose in html.unescape(page)
        assert inert(run("report", "grants", "--format", "md"))
