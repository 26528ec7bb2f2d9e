"""`diplo demo` as a newcomer runs it: every hint it prints works when copied into a shell,
from any folder."""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

import pytest

DIPLO = str(Path(sys.executable).with_name("diplo"))


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [DIPLO, *args], cwd=cwd, capture_output=True, text=True, timeout=300, check=False
    )


def hints(output: str) -> list[list[str]]:
    """The commands a demo tells its reader to run (indented), split as a shell would."""
    return [shlex.split(line)[1:] for line in output.splitlines() if line.startswith("  diplo ")]


@pytest.fixture
def elsewhere(tmp_path: Path) -> Path:
    folder = tmp_path / "somewhere else"
    folder.mkdir()
    return folder


def test_demo_out_leaves_a_ledger_and_the_dossier_whose_hints_work_from_any_folder(
    tmp_path: Path, elsewhere: Path
) -> None:
    start = tmp_path / "start"
    start.mkdir()
    result = run("demo", "--out", "my demo", cwd=start)
    assert result.returncode == 0, result.stderr
    folder = start / "my demo"
    assert (folder / "ledger.db").exists() and (folder / "ledger.views.db").exists()
    dossier = (folder / "jp-uz.html").read_text()
    assert "Partnership JP-UZ" in dossier and 'id="sources"' in dossier
    assert str(folder / "jp-uz.html") in result.stdout
    commands = hints(result.stdout)
    assert len(commands) == 4
    for command in commands:
        assert str(folder / "ledger.db") in command  # the store, by its full path
        if command[0] == "browse":  # a server: started by tests/cli/test_browse.py
            continue
        ran = run(*command, cwd=elsewhere)
        assert ran.returncode == 0, (command, ran.stderr)
    assert "Partnership JP-UZ" in (elsewhere / "jp-uz.html").read_text()
    assert "grants" in run(*commands[0], cwd=elsewhere).stdout


def test_demo_without_out_names_no_ledger_that_is_gone_and_says_how_to_keep_one(
    elsewhere: Path,
) -> None:
    result = run("demo", cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    assert "--store" not in result.stdout and "scratch folder, now removed" in result.stdout
    assert list(elsewhere.iterdir()) == []  # nothing left behind
    [command] = hints(result.stdout)
    kept = run(*command, cwd=elsewhere)
    assert kept.returncode == 0, kept.stderr
    assert (elsewhere / "diplo-demo" / "ledger.db").exists()
    assert (elsewhere / "diplo-demo" / "jp-uz.html").exists()
