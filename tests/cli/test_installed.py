"""The installed `diplo` command, run as a user runs it: in a subprocess."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

# The console script pip installed beside this interpreter (the venv need not be activated).
DIPLO = Path(sys.executable).with_name("diplo")


def run(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    command = str(DIPLO) if DIPLO.exists() else shutil.which("diplo")
    assert command, "install the project first: pip install -e '.[test]'"
    return subprocess.run(
        [command, *args], cwd=cwd, input=stdin, capture_output=True, text=True, timeout=120
    )


def test_help_lists_the_commands(tmp_path: Path) -> None:
    result = run("--help", cwd=tmp_path)
    assert result.returncode == 0
    for command in ("init", "record", "import", "log", "show", "export", "schema", "demo"):
        assert command in result.stdout


def test_demo_imports_the_seed_twice_and_summarises_the_partnership(tmp_path: Path) -> None:
    result = run("demo", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "first import of japan-uzbekistan-health.jsonl: 23 new" in result.stdout
    assert "second import of japan-uzbekistan-health.jsonl: 0 new, 23 already recorded" in (
        result.stdout
    )
    assert "Partnership JP-UZ" in result.stdout
    figures = {
        tuple(cell.strip() for cell in line.strip("│ ").split("│"))
        for line in result.stdout.splitlines()
        if line.count("│") == 3
    }
    assert {
        ("meetings", "1"),
        ("grants", "3"),
        ("deliveries", "1"),
        ("projects", "1"),
        ("cooperations", "1"),
    } <= figures
    assert "800-bed clinic in Samarkand" in result.stdout
    assert not (tmp_path / "ledger.db").exists()  # the demo leaves the working folder alone


def test_a_clerk_session_in_the_default_store(tmp_path: Path) -> None:
    assert run("init", cwd=tmp_path).returncode == 0
    assert (tmp_path / "ledger.db").exists()
    org = {
        "type": "OrganizationRegistered",
        "org": "moh-uz",
        "name": "MoH",
        "country": "UZ",
        "kind": "ministry",
    }
    imported = run("import", "-", cwd=tmp_path, stdin=json.dumps(org) + "\n")
    assert imported.returncode == 0 and "1 new" in imported.stdout
    bad = run(
        "record",
        "OrganizationRegistered",
        "--org",
        "x",
        "--name",
        "X",
        "--country",
        "QQ",
        "--kind",
        "ministry",
        cwd=tmp_path,
    )
    assert bad.returncode == 1
    assert "country: unknown country 'QQ'" in bad.stderr and "Traceback" not in bad.stderr
    logged = json.loads(run("log", "--format", "json", cwd=tmp_path).stdout)
    assert [row["event"]["org"] for row in logged] == ["moh-uz"]


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run("log", "--format", "yaml", cwd=tmp_path).returncode == 2
