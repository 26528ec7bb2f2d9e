"""Red team: text from a ledger or an input file never drives the terminal (issue 15, hole 4).

Each attack worked before: Rich markup in a name crashed `log` and `show` for good (the name
stays in the append-only log), `[link=…]` printed a disguised hyperlink, and escape sequences
in the name of an unknown field of an import file reached the terminal raw.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from diplo.cli.common import console, errors
from diplo.cli.progress import progress
from diplo.cli.safe import shown
from tests.conftest import ORG, write_jsonl

DIPLO = str(Path(sys.executable).with_name("diplo"))
CSI, RLO, LRI = "\x9b", "\u202e", "\u2066"  # 8-bit control sequence introducer; bidi override


def record_org(diplo: Any, store: str, tmp_path: Path, name: str, org: str = "evil") -> str:
    result = diplo(
        "import",
        write_jsonl(tmp_path / f"{org}.jsonl", ORG | {"org": org, "name": name}),
        "--store",
        store,
    )
    assert result.exit_code == 0, result.output
    logged = diplo("log", "--store", store, "--format", "json")
    return str(json.loads(logged.stdout)[-1]["key"])


@pytest.mark.parametrize("name", ["Evil [/bold] Org", "[bold]unclosed", "[/]", "a [/link] b"])
def test_markup_in_a_name_is_shown_literally_by_log_show_and_audit(
    diplo: Any, store: str, tmp_path: Path, name: str
) -> None:
    key = record_org(diplo, store, tmp_path, name)
    for command in (["log"], ["show", key], ["audit", "evil"], ["audit"]):
        result = diplo(*command, "--store", store)
        assert result.exit_code == 0, result.output
    assert name in diplo("show", key, "--store", store).stdout
    assert name in diplo("audit", "evil", "--store", store).stdout


def test_a_link_in_a_name_is_shown_with_its_address_not_hidden_behind_its_label(
    diplo: Any, store: str, tmp_path: Path
) -> None:
    name = "Click [link=https://evil.example]here[/link]"
    key = record_org(diplo, store, tmp_path, name)
    result = diplo("show", key, "--store", store)
    assert result.exit_code == 0, result.output
    assert "[link=https://evil.example]here[/link]" in result.stdout


def test_controls_and_bidi_overrides_in_stored_text_are_shown_as_escapes(
    diplo: Any, store: str, tmp_path: Path
) -> None:
    name = f"Ministry{CSI}2J of {RLO}htlaeH{LRI} \u200bHealth"
    key = record_org(diplo, store, tmp_path, name)
    for command in (["log"], ["show", key], ["audit", "evil"]):
        result = diplo(*command, "--store", store)
        assert result.exit_code == 0, result.output
        assert not {CSI, RLO, LRI, "\u200b"} & set(result.output), command
    assert (
        "Ministry\\x9b2J of \\u202ehtlaeH\\u2066 \\u200bHealth"
        in diplo("show", key, "--store", store).stdout
    )


def test_json_output_keeps_the_text_exact_and_writes_hidden_characters_as_escapes(
    diplo: Any, store: str, tmp_path: Path
) -> None:
    name = f"Ministry{CSI}2J of {RLO}Health\u2028x"
    key = record_org(diplo, store, tmp_path, name)
    for command in (["log", "--format", "json"], ["log", "--format", "jsonl"], ["export"]):
        out = diplo(*command, "--store", store).stdout
        assert not {CSI, RLO, "\u2028"} & set(out), command
        assert "\\u009b2J" in out and "\\u202e" in out
    assert (
        json.loads(diplo("show", key, "--store", store, "--format", "json").stdout)["event"]["name"]
        == name
    )


def test_escape_sequences_in_an_unknown_field_name_are_quoted_not_obeyed(
    diplo: Any, store: str, tmp_path: Path
) -> None:
    line = json.dumps(ORG | {"\x1b[2J\x1b]0;owned\x07colour": "red", "a\nerror: fake": 1})
    path = tmp_path / "hostile.jsonl"
    path.write_text(line + "\n")
    result = diplo("import", str(path), "--store", store)
    assert result.exit_code == 1
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "\\x1b[2J\\x1b]0;owned\\x07colour: unknown field" in result.stderr
    assert "a\\x0aerror: fake: unknown field" in result.stderr  # one line, not a forged one


def test_an_unknown_type_name_with_controls_is_quoted_not_obeyed(
    diplo: Any, store: str, tmp_path: Path
) -> None:
    path = write_jsonl(tmp_path / "t.jsonl", {"type": f"Org{RLO}\x9b31m"})
    result = diplo("import", path, "--store", store)
    assert result.exit_code == 1
    assert RLO not in result.stderr and CSI not in result.stderr


def test_the_consoles_read_no_markup_emoji_or_highlighting() -> None:
    for each in (console, errors):
        screen = io.StringIO()
        each.file = screen
        try:
            each.print("[bold]x[/bold] :smile: [link=https://e.example]y[/link]")
        finally:
            each.file = None  # type: ignore[assignment]
        assert (
            screen.getvalue().strip() == "[bold]x[/bold] :smile: [link=https://e.example]y[/link]"
        )


def test_a_progress_label_is_text_not_markup() -> None:
    screen = io.StringIO()
    terminal = Console(file=screen, force_terminal=True, width=200)
    with progress("[/bold]load\x1b[2J", console=terminal, threshold=1) as advance:
        assert advance is not None
        advance(1, 2)
    assert "[/bold]load\\x1b[2J" in screen.getvalue()
    assert "\x1b[2J" not in screen.getvalue()


def test_shown_escapes_every_control_and_invisible_format_character() -> None:
    for point in [*range(0x20), 0x7F, *range(0x80, 0xA0), 0x200B, 0x2028, 0x2029, 0xFEFF]:
        assert "\\" in shown(chr(point)), hex(point)
    for point in [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C]:
        assert shown(chr(point)) == f"\\u{point:04x}"
    assert shown("\U000e0041") == "\\U000e0041"  # a tag character, invisible
    assert shown("Tōkyō 東京 اوزبکستان\u200c 👩\u200d👩") == "Tōkyō 東京 اوزبکستان\u200c 👩\u200d👩"


def on_a_terminal(*args: str, cwd: Path) -> str:
    """Run diplo with stdout and stderr on a pseudo-terminal; everything the terminal got."""
    leader, follower = os.openpty()
    env = os.environ | {"COLUMNS": "250", "TERM": "xterm-256color"}
    env.pop("NO_COLOR", None)
    process = subprocess.Popen(
        [DIPLO, *args], stdout=follower, stderr=follower, stdin=subprocess.DEVNULL, cwd=cwd, env=env
    )
    os.close(follower)
    received = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the other side closed
            break
        if not chunk:
            break
        received += chunk
    process.wait(timeout=60)
    os.close(leader)
    return received.decode("utf-8", errors="replace")


@pytest.mark.slow  # every command in a pseudo-terminal
@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_a_real_terminal_gets_no_hidden_character_and_no_sequence_from_the_data(
    diplo: Any, store: str, tmp_path: Path
) -> None:
    name = f"Evil {CSI}31m [link=https://evil.example]here[/link] {RLO}gro"
    key = record_org(diplo, store, tmp_path, name)
    grant = {
        "type": "GrantAgreementSigned",
        "grant": "g1",
        "donor": "JP",
        "recipient": "evil",
        "purpose": f"Equip {RLO}latipsoh a",
        "occurred_on": "2025-03-15",
    }
    assert (
        diplo("import", write_jsonl(tmp_path / "g.jsonl", grant), "--store", store).exit_code == 0
    )
    for command in (
        ["log"],
        ["show", key],
        ["audit", "evil"],
        ["report", "grants", "--format", "csv"],
        ["report", "grants", "--format", "html"],
        ["report", "grants"],
    ):
        screen = on_a_terminal(*command, "--store", store, cwd=tmp_path)
        assert CSI not in screen and RLO not in screen, command
        assert "\x1b]" not in screen, command  # no OSC: hyperlinks, window titles
        assert "\\u202e" in screen, command  # the override is shown, as an escape
