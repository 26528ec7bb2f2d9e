"""Export → import round-trips: what one ledger exports, an empty ledger records identically."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings

from diplo.domain.store.opening import open_ledger
from diplo.events.catalog import canonical_dict, canonical_json, parse_fact
from tests.strategies import event_sequences


def export_lines(store: str) -> list[bytes]:
    ledger = open_ledger(store)
    try:
        return [canonical_json(canonical_dict(s.fact)) for s in ledger.read()]
    finally:
        ledger.close()


def import_bodies(store: str, bodies: list[dict[str, Any]]) -> None:
    ledger = open_ledger(store, create=True)
    try:
        ledger.record(
            [(f"line {n}", parse_fact(b)) for n, b in enumerate(bodies, 1)],
            recorded_by="property test",
        )
    finally:
        ledger.close()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(event_sequences())
def test_export_then_import_into_an_empty_ledger_is_identical(bodies: list[dict[str, Any]]) -> None:
    import json

    with tempfile.TemporaryDirectory() as folder:
        first, second = str(Path(folder) / "a.db"), str(Path(folder) / "b.db")
        import_bodies(first, bodies)
        exported = export_lines(first)
        assert len(exported) == len(bodies)
        import_bodies(second, [json.loads(line) for line in exported])
        assert export_lines(second) == exported


@settings(max_examples=50, deadline=None)
@given(event_sequences())
def test_the_canonical_form_is_a_fixed_point(bodies: list[dict[str, Any]]) -> None:
    for body in bodies:
        once = canonical_dict(parse_fact(body))
        assert canonical_dict(parse_fact(once)) == once
