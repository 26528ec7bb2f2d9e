"""The command table of `diplo` (cli/main.py) agrees with the commands themselves: it lists
each of them once, with the first sentence of its own help, and `diplo --help` reads the same
as the help click would write after importing every command."""

from __future__ import annotations

import importlib
import subprocess
import sys
from typing import Any

import typer
import typer.main
from typer._click.utils import make_default_short_help
from typer.testing import CliRunner

from diplo.cli.main import COMMANDS, GROUPS, SETTINGS, app


def eager_app() -> typer.Typer:
    """`diplo` as it was built before the table: every module imported, every app added."""
    eager = typer.Typer(help="diplo: an event-sourced ledger of diplomatic activity.", **SETTINGS)
    for module in dict.fromkeys(module for module, _ in COMMANDS.values()):
        group_name = next((name for name in GROUPS if COMMANDS[name][0] == module), None)
        eager.add_typer(importlib.import_module(f"diplo.cli.{module}").app, name=group_name)
    return eager


def eager_commands() -> dict[str, Any]:
    return dict(typer.main.get_command(eager_app()).commands)  # type: ignore[attr-defined]


def test_the_table_names_every_command_once_in_its_module() -> None:
    assert sorted(eager_commands()) == sorted(COMMANDS)


def test_each_line_of_the_table_is_the_first_sentence_of_the_commands_own_help() -> None:
    for name, command in eager_commands().items():
        first_sentence = make_default_short_help(command.help or "", 10**6)
        assert COMMANDS[name][1] == first_sentence, name


def test_diplo_help_lists_every_command_as_click_would() -> None:
    eager = eager_app()
    runner = CliRunner()
    for width in ("60", "100", "200"):
        lazy = runner.invoke(app, ["--help"], env={"COLUMNS": width}, prog_name="diplo")
        full = runner.invoke(eager, ["--help"], env={"COLUMNS": width}, prog_name="diplo")
        assert lazy.exit_code == 0
        assert lazy.output == full.output
        assert all(f"  {name} " in lazy.output for name in COMMANDS)


def test_diplo_help_imports_no_command_module() -> None:
    probe = (
        "import sys; from diplo.cli.main import app; "
        "from typer.testing import CliRunner; CliRunner().invoke(app, ['--help']); "
        "print(sorted(m for m in sys.modules "
        "if m.startswith('diplo.cli.') and m != 'diplo.cli.main'))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_a_command_brings_only_its_own_module() -> None:
    probe = (
        "import sys; from diplo.cli.main import app; "
        "from typer.testing import CliRunner; CliRunner().invoke(app, ['schema', '--help']); "
        "print(sorted(m for m in sys.modules "
        "if m.startswith('diplo.cli.') and m != 'diplo.cli.main'))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert "diplo.cli.schema" in done.stdout
    assert "diplo.cli.recording" not in done.stdout


def test_a_mistyped_command_is_answered_with_the_closest_names() -> None:
    result = CliRunner().invoke(app, ["lgo"], prog_name="diplo")
    assert result.exit_code == 2
    assert "No such command 'lgo'. Did you mean 'log'?" in result.output


def test_the_group_lists_every_command_by_name_as_click_groups_do() -> None:
    group = typer.main.get_command(app)
    assert list(group.commands) == list(COMMANDS)  # type: ignore[attr-defined]
    assert group.commands["report"].name == "report"  # type: ignore[attr-defined]
