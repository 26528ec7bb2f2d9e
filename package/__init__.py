"""diplo: an event-sourced ledger of diplomatic activity.

The code lives in the folders at the repository root (events/, domain/, projections/, cli/,
examples/), installed as subpackages of this one (see pyproject.toml).
"""
