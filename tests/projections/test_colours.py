"""Every chart colours an event type the same way, and no two declared types alike."""

import os
import subprocess
import sys

from diplo.events.declaration import declarations
from diplo.projections.svg import colour


def test_no_two_declared_event_types_share_a_colour() -> None:
    names = list(declarations())
    colours = {name: colour(name) for name in names}
    shared = {c: [n for n in names if colours[n] == c] for c in colours.values()}
    assert {c: ns for c, ns in shared.items() if len(ns) > 1} == {}


def test_a_type_keeps_its_colour_from_run_to_run() -> None:
    """Not taken from Python's string hash, which changes with every process."""
    probe = "from diplo.projections.svg import colour; print(colour('LoanAgreementSigned'))"
    seen = {
        subprocess.run(
            [sys.executable, "-c", probe],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for seed in ("1", "2", "3")
    }
    assert seen == {colour("LoanAgreementSigned")}
    assert colour("MeetingHeld") == "#4e79a7"
