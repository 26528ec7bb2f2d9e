"""A line written without rich is the text rich prints for it, on a terminal or not."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from diplo.cli.lines import print_line
from tests.cli.consoles import string_console, written

TEXT = st.text(st.sampled_from([*"ab Z09-_.:/\\#", "—", "→", "é", "日", "\u0301", "🙂", "\t"]))


@settings(max_examples=400, deadline=None)
@given(TEXT, st.integers(1, 60), st.sampled_from([None, "bold"]), st.booleans())
def test_a_line_is_printed_as_rich_prints_it(
    text: str, width: int, style: str | None, terminal: bool
) -> None:
    ours, theirs = string_console(width, terminal), string_console(width, terminal)
    print_line(ours, text, style=style)
    theirs.print(text, style=style)
    assert written(ours) == written(theirs)


def test_a_plain_line_that_fits_is_written_without_rendering() -> None:
    """Rendering costs some 70 µs a line: an audit of 100,000 events prints half a million."""
    rendered = string_console(80)
    calls: list[str] = []
    rendered.print = lambda *a, **k: calls.append("print")  # type: ignore[method-assign]
    print_line(rendered, "  occurred 2024-05-01; recorded 2026-11-26T22:58:19+00:00 by root")
    print_line(rendered, "#1 OrganizationRegistered bench-0", style="bold")  # no terminal
    print_line(rendered)
    assert calls == []
    assert written(rendered).count("\n") == 3
    print_line(rendered, "x" * 81)  # wider than the terminal: rich folds it
    assert calls == ["print"]
