"""Progress bars appear on a terminal for long jobs, and never anywhere else."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from rich.console import Console

from diplo.cli.progress import progress, reading
from tests.conftest import write_jsonl


def test_a_terminal_sees_a_bar_for_a_long_job() -> None:
    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=100)
    with progress("verifying", console=console) as advance:
        assert advance is not None
        for done in range(0, 10_001, 1000):
            advance(done, 10_000)
    assert "verifying" in screen.getvalue()


def test_a_short_job_draws_nothing_even_on_a_terminal() -> None:
    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=100)
    with progress("verifying", console=console) as advance:
        assert advance is not None
        advance(10, 20)
    assert "verifying" not in screen.getvalue()


def test_without_a_terminal_there_is_no_bar_at_all() -> None:
    console = Console(file=io.StringIO(), force_terminal=False)
    with progress("verifying", console=console) as advance:
        assert advance is None


def test_an_import_of_a_large_file_shows_a_bar_of_bytes_read() -> None:
    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=100)
    with reading("checking and recording", 8 << 20, console=console) as advance:
        assert advance is not None
        for done in range(0, 8 << 20, 1 << 20):
            advance(done)
    assert "checking and recording" in screen.getvalue()
    assert "8.4 MB" in screen.getvalue()


def test_stdin_a_small_file_or_no_terminal_get_no_byte_bar() -> None:
    terminal = Console(file=io.StringIO(), force_terminal=True)
    with reading("recording", None, console=terminal) as unknown_size:
        assert unknown_size is None
    with reading("recording", 1000, console=terminal) as small:
        assert small is None
    pipe = Console(file=io.StringIO(), force_terminal=False)
    with reading("recording", 8 << 20, console=pipe) as piped:
        assert piped is None


def test_a_piped_import_prints_only_its_result(diplo: Any, store: str, tmp_path: Path) -> None:
    bodies = [
        {"type": "CommitmentStated", "by": "JP", "statement": f"s{n}", "occurred_on": "2025"}
        for n in range(3000)
    ]
    result = diplo("import", write_jsonl(tmp_path / "many.jsonl", *bodies), "--store", store)
    assert result.exit_code == 0, result.output
    assert (
        result.stdout.strip() == "recorded 3000 new, 0 skipped (already recorded) from 3000 events"
    )
    assert result.stderr == ""
