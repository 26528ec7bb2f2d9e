"""A long import is checked and written a chunk at a time inside one transaction: it reads its
input lazily, yet stays all or nothing, and facts see everything recorded before them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from diplo.domain.app.ledger import CHUNK, FIRST, Ledger
from diplo.domain.errors import KeyConflict, UnknownReference
from diplo.events.catalog import parse_fact
from diplo.events.envelope import Fact
from tests.conftest import GRANT, ORG

MANY = CHUNK * 2 + 17  # several chunks, the last one short


def commitment(n: int) -> dict[str, Any]:
    return {
        "type": "CommitmentStated",
        "by": "JP",
        "statement": f"statement {n}",
        "occurred_on": "2025",
        "key": f"c-{n}",
    }


def stream(*bodies: dict[str, Any]) -> Iterator[tuple[str, Fact]]:
    """The facts as an import reads them: one at a time, never as a list."""
    for line, body in enumerate(bodies, 1):
        yield f"big.jsonl:{line}", parse_fact(body)


def many(extra: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    return [commitment(n) for n in range(MANY)] + (extra or [])


def test_the_input_is_read_a_chunk_at_a_time(ledger: Ledger) -> None:
    pulled: list[int] = []

    def counted() -> Iterator[tuple[str, Fact]]:
        for n, pair in enumerate(stream(*many()), 1):
            pulled.append(n)
            yield pair

    seen: list[tuple[int, int]] = []
    ledger.record(
        counted(), recorded_by="clerk", progress=lambda done: seen.append((done, len(pulled)))
    )
    # never more read than recorded: chunks of FIRST facts, doubling up to CHUNK
    done = [d for d, _ in seen]
    assert all(d == read for d, read in seen)
    sizes = [b - a for a, b in zip([0, *done], done, strict=False)]
    assert sizes[:4] == [FIRST, 2 * FIRST, 4 * FIRST, 8 * FIRST] and max(sizes) == CHUNK
    assert done[-1] == MANY and sum(sizes) == MANY
    assert ledger.head() == MANY


def test_positions_stay_gap_free_across_chunks(ledger: Ledger) -> None:
    outcome = ledger.record(stream(*many()), recorded_by="clerk")
    assert outcome.positions == range(1, MANY + 1)
    assert [s.position for s in ledger.read()] == list(range(1, MANY + 1))


def test_a_bad_line_in_the_last_chunk_leaves_nothing_of_the_earlier_ones(ledger: Ledger) -> None:
    bad = GRANT | {"recipient": "nobody"}
    with pytest.raises(UnknownReference, match=f"big.jsonl:{MANY + 1}: recipient: unknown"):
        ledger.record(stream(*many([bad])), recorded_by="clerk")
    assert ledger.head() == 0
    assert ledger.recorder.select_keys(["c-0", f"c-{MANY - 1}"]) == {}


def test_after_a_refusal_the_same_import_fixed_records_everything(ledger: Ledger) -> None:
    with pytest.raises(UnknownReference, match="recipient: unknown"):
        ledger.record(stream(*many([ORG, GRANT | {"recipient": "nobody"}])), recorded_by="c")
    outcome = ledger.record(stream(*many([ORG, GRANT])), recorded_by="c")
    assert (outcome.new, ledger.head()) == (MANY + 2, MANY + 2)


def test_a_dry_run_of_many_chunks_counts_everything_and_writes_nothing(ledger: Ledger) -> None:
    outcome = ledger.record(stream(*many()), recorded_by="clerk", dry_run=True)
    assert (outcome.new, outcome.skipped, ledger.head()) == (MANY, 0, 0)
    assert ledger.record(stream(*many()), recorded_by="clerk").new == MANY


def test_a_later_chunk_refers_to_what_an_earlier_chunk_registered(ledger: Ledger) -> None:
    outcome = ledger.record(stream(ORG, *many([GRANT])), recorded_by="clerk")
    assert outcome.new == MANY + 2


def test_a_later_chunk_corrects_an_event_of_an_earlier_chunk(ledger: Ledger) -> None:
    grant = GRANT | {"key": "the-grant"}
    fix = {
        "type": "EventCorrected",
        "target": "the-grant",
        "changes": {"purpose": "Equip two hospitals"},
        "reason": "misread",
    }
    ledger.record(stream(ORG, grant, *many([fix])), recorded_by="clerk")
    corrected = [s.fact for s in ledger.read() if s.fact.type == "EventCorrected"]
    assert [f.target for f in corrected] == ["the-grant"]


def test_a_key_repeated_chunks_later_is_skipped_or_refused_by_content(ledger: Ledger) -> None:
    outcome = ledger.record(stream(*many([commitment(0)])), recorded_by="clerk")
    assert (outcome.new, outcome.skipped) == (MANY, 1)
    changed = commitment(1) | {"statement": "other"}
    with pytest.raises(KeyConflict, match=f"big.jsonl:{MANY + 1}: key: 'c-1'"):
        ledger.record(stream(*many([changed])), recorded_by="clerk")
    assert ledger.head() == MANY


def test_an_aggregate_changed_in_a_refused_import_is_read_afresh_afterwards(
    ledger: Ledger,
) -> None:
    """The aggregate cache must not keep events of a transaction that rolled back: a grant
    corrected in chunk one and loaded again in chunk three is cached with that correction."""
    ledger.record(stream(ORG, GRANT | {"key": "g"}), recorded_by="clerk")
    fix = {"type": "EventCorrected", "target": "g", "changes": {"purpose": "A"}, "reason": "r"}
    again = fix | {"changes": {"purpose": "B"}}
    bad = GRANT | {"grant": "g2", "recipient": "nobody"}
    with pytest.raises(UnknownReference, match="recipient: unknown"):
        ledger.record(stream(fix, *many([again, bad])), recorded_by="clerk")
    assert ledger.record(stream(again), recorded_by="clerk").new == 1
    versions = [s.version for s in ledger.read()]
    assert versions == [1, 1, 2]
