"""Reading ahead (domain.app.ahead): an import's facts read, validated and prepared in a second
process. What it sends is the fact as the ledger would have computed it in-process, byte for
byte, and an import fed by it ends exactly as one read in-process (tests/domain/
test_bulk_import.py compares the two on hostile streams, refusal for refusal)."""

from __future__ import annotations

import json
import os
import signal
from datetime import UTC, datetime
from itertools import chain
from pathlib import Path
from typing import Any

import pytest

from diplo.cli.inputs import ImportFiles
from diplo.domain.app.ahead import ReadAhead
from diplo.domain.app.prepared import Prepared, model, prepare
from diplo.domain.app.stamping import stamp
from diplo.domain.model.entity import source_id
from diplo.domain.model.references import candidates, references
from diplo.domain.model.routing import ROUTES
from diplo.domain.store.opening import open_ledger
from diplo.domain.store.records import encode_record
from diplo.events.catalog import content_hash
from diplo.events.errors import InvalidEvent, LedgerError, Problems
from tests.generate import generate

EXAMPLES = sorted((Path(__file__).parents[2] / "examples").glob("*.jsonl"))


def every_kind_of_fact(tmp_path: Path) -> list[tuple[str, Any]]:
    """The bundled examples (every type the catalog has a story for) and generated facts."""
    generated = tmp_path / "generated.jsonl"
    bodies = list(generate(600))
    for body in bodies[::3]:  # a third without a key: theirs is derived from their content
        body.pop("key")
    generated.write_text("".join(json.dumps(body) + "\n" for body in bodies))
    return list(ImportFiles([*map(str, EXAMPLES), str(generated)]))


def test_a_prepared_fact_is_stored_as_the_fact_itself_would_be(tmp_path: Path) -> None:
    times = [datetime(2026, 11, 26, 6, 30, 1, micro, tzinfo=UTC) for micro in (0, 7, 123456)]
    facts = every_kind_of_fact(tmp_path)
    assert len({fact.type for _, fact in facts}) >= 15
    for number, (where, fact) in enumerate(facts):
        stamped = stamp(fact, "clerk")
        prepared = Prepared(prepare(where, fact, "clerk"))
        at = times[number % len(times)]
        assert prepared.record(at) == encode_record(stamped, at)
        assert prepared.content_hash == content_hash(stamped)
        assert (prepared.key, prepared.type) == (stamped.key, stamped.type)
        assert model(prepared).model_dump() == stamped.model_dump()
        if stamped.type in ROUTES:
            assert prepared.stream_numbers == [s.int for s in ROUTES[stamped.type].streams(stamped)]
        named = list(references(stamped))
        route = ROUTES.get(stamped.type)
        subject = route.subject if route and route.command else None  # its aggregate's to judge
        by_records = [  # check_references looks up the candidates of each reference
            (field != subject, tuple(n for _, n in found))
            for (field, ref, kinds), found in zip(named, candidates(named), strict=True)
            if not ("country" in kinds and len(ref) == 2 and ref.isupper())
        ]
        assert prepared.checks == by_records


def test_a_prepared_fact_reads_as_its_model_where_a_rule_reads_it(tmp_path: Path) -> None:
    """Fields read from the JSON data (not the model) must read the same: every field of
    every fact, and the sources an aggregate keeps."""
    for where, fact in every_kind_of_fact(tmp_path):
        stamped = stamp(fact, "clerk")
        prepared = Prepared(prepare(where, fact, "clerk"))
        for name in set(type(stamped).model_fields) - {"sources"}:  # (views, below)
            assert getattr(prepared, name) == getattr(stamped, name), (stamped.type, name)
        assert [source_id(s) for s in prepared.sources] == [source_id(s) for s in stamped.sources]


def test_the_facts_and_bad_lines_arrive_in_order_with_counts(tmp_path: Path) -> None:
    lines = [json.dumps(body) for body in generate(700)]
    lines[3] = '{"type": "MeetingHeld"'  # cut short
    lines[650] = json.dumps({"type": "NoSuchThing"})
    given = tmp_path / "in.jsonl"
    given.write_text("\n".join(lines) + "\n")
    problems = Problems([str(given)])
    ahead = ReadAhead(ImportFiles([str(given)], problems), "clerk")
    read = list(ahead)
    assert [where for where, _ in read] == [
        f"{given}:{n}" for n in range(1, 701) if n not in (4, 651)
    ]
    assert (ahead.count, ahead.position()) == (698, given.stat().st_size)
    assert problems.count == 2
    with pytest.raises(InvalidEvent) as refused:
        problems.raise_if_any()
    assert f"{given}:4: " in str(refused.value) and f"{given}:651: type: " in str(refused.value)


def test_without_problems_the_first_bad_line_is_raised_after_the_facts_before_it(
    tmp_path: Path,
) -> None:
    given = tmp_path / "in.jsonl"
    bodies = list(generate(300))
    given.write_text("".join(json.dumps(b) + "\n" for b in bodies[:290]) + "not json\n")
    taken = []
    with pytest.raises(InvalidEvent, match=rf"{given}:291: "):
        for where, _ in ReadAhead(ImportFiles([str(given)]), "clerk"):
            taken.append(where)
    assert len(taken) == 290


def test_a_refused_import_stops_the_reader_and_leaves_no_process_behind(tmp_path: Path) -> None:
    given = tmp_path / "in.jsonl"
    bodies = list(generate(20_000))
    funded = next(n for n, b in enumerate(bodies) if n > 100 and b["type"] == "EquipmentFunded")
    bodies[funded] = {**bodies[funded], "grant": "no-such-grant"}
    given.write_text("".join(json.dumps(b) + "\n" for b in bodies))
    ledger = open_ledger(str(tmp_path / "ledger.db"), create=True)
    try:
        with pytest.raises(LedgerError, match=rf"in.jsonl:{funded + 1}: grant: "):
            ledger.record(ReadAhead(ImportFiles([str(given)]), "clerk"), recorded_by="clerk")
        assert ledger.head() == 0
    finally:
        ledger.close()
    with pytest.raises(ChildProcessError):  # every child was waited for
        os.waitpid(-1, os.WNOHANG)


def test_reading_starts_before_the_import_and_stops_with_it_even_unread(tmp_path: Path) -> None:
    given = tmp_path / "in.jsonl"
    given.write_text("".join(json.dumps(body) + "\n" for body in generate(5_000)))
    with ReadAhead(ImportFiles([str(given)]), "clerk") as ahead:
        assert ahead.count == 0  # started, nothing taken yet
    with pytest.raises(ChildProcessError):  # the reader was stopped and waited for
        os.waitpid(-1, os.WNOHANG)
    with ReadAhead(ImportFiles([str(given)]), "clerk") as ahead:
        assert sum(1 for _ in ahead) == 5_000 == ahead.count


def test_if_the_reader_dies_the_import_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    given = tmp_path / "in.jsonl"
    given.write_text("".join(json.dumps(body) + "\n" for body in generate(30_000)))
    ledger = open_ledger(str(tmp_path / "ledger.db"), create=True)
    try:
        with ReadAhead(ImportFiles([str(given)]), "clerk") as ahead:
            facts = iter(ahead)
            first = [next(facts) for _ in range(10)]  # the reader is well under way
            assert ahead._child is not None
            os.kill(ahead._child, signal.SIGKILL)
            with pytest.raises(RuntimeError, match="ended before its end"):
                ledger.record(chain(first, facts), recorded_by="clerk")  # streamed
        assert ledger.head() == 0
    finally:
        ledger.close()


def test_the_reader_runs_a_whole_chunk_of_the_import_ahead(tmp_path: Path) -> None:
    """While the import checks and writes one chunk (ledger.CHUNK facts), the reader prepares
    the next: the pipe between them holds about a chunk, not 64 KiB."""
    import fcntl
    import termios
    import time

    given = tmp_path / "in.jsonl"
    given.write_text("".join(json.dumps(body) + "\n" for body in generate(6_000)))
    with ReadAhead(ImportFiles([str(given)]), "clerk") as ahead:
        facts = iter(ahead)
        next(facts)
        assert ahead._reader is not None
        waiting = bytearray(4)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            fcntl.ioctl(ahead._reader.fileno(), termios.FIONREAD, waiting)
            if int.from_bytes(waiting, "little") > 512 * 1024:
                break
            time.sleep(0.05)
        assert int.from_bytes(waiting, "little") > 512 * 1024


def test_where_there_is_no_fork_the_input_is_read_and_prepared_in_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from diplo.domain.app import ahead as module

    given = tmp_path / "in.jsonl"
    lines = [json.dumps(body) for body in generate(300)]
    lines[7] = "not json"
    given.write_text("\n".join(lines) + "\n")
    told = []
    for forks in (True, False):
        monkeypatch.setattr(module, "FORKS", forks)
        problems = Problems([str(given)])
        with ReadAhead(ImportFiles([str(given)], problems), "clerk") as ahead:
            read = [(where, fact.key, fact.body) for where, fact in ahead]
        told.append((read, ahead.count, ahead.position(), [str(p) for p in problems.kept]))
    assert told[0] == told[1]
    assert len(told[0][0]) == 299 and told[0][3] and ":8: " in told[0][3][0]
