"""The bulk import and the single-record path apply the SAME rules: fed the same streams,
valid or hostile, split into chunks anywhere and on top of what the ledger already holds,
both record the same rows (apart from when) or refuse with the same error, and a refusal
leaves the ledger as it was."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any
from unittest import mock
from uuid import UUID

import orjson
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from diplo.domain.app import ledger as ledger_module
from diplo.domain.app.ahead import ReadAhead
from diplo.domain.app.batch import Batch
from diplo.domain.app.keyfilter import KeyFilter
from diplo.domain.store.opening import open_ledger
from diplo.events.catalog import parse_fact
from diplo.events.errors import LedgerError, Problems

SOURCE = {"publisher": "Wire", "title": "Report"}
OTHER_SOURCE = {"publisher": "Gazette", "title": "Another report"}

# Lines a clerk might import, in roughly the order that makes them valid; shuffled, repeated
# and cut short by hypothesis, many of them break a rule (unknown ids, a second signing with
# other content, money beyond the agreement, a milestone out of order, a retraction of a
# retraction, a correction of what was retracted, keys reused with other content…).
POOL: list[dict[str, Any]] = [
    {
        "type": "OrganizationRegistered",
        "org": "moh",
        "name": "Ministry of Health",
        "country": "UZ",
        "kind": "ministry",
        "key": "k-moh",
        "sources": [SOURCE],
    },
    {
        "type": "OrganizationRegistered",
        "org": "jica",
        "name": "JICA",
        "country": "JP",
        "kind": "agency",
        "key": "k-jica",
    },
    {
        "type": "OrganizationRegistered",
        "org": "moh",
        "name": "Ministry of Health",
        "country": "UZ",
        "kind": "ministry",
        "sources": [OTHER_SOURCE],
    },  # a repeat: corroborates
    {
        "type": "OrganizationRegistered",
        "org": "moh",
        "name": "Health Ministry",
        "country": "UZ",
        "kind": "ministry",
    },  # the same id with other content
    {
        "type": "GrantAgreementSigned",
        "grant": "g1",
        "donor": "JP",
        "recipient": "moh",
        "purpose": "Scanners",
        "key": "k-g1",
        "amount": {"value": "1000", "currency": "USD", "qualifier": "up-to"},
    },
    {
        "type": "GrantAgreementSigned",
        "grant": "g1",
        "donor": "JP",
        "recipient": "moh",
        "purpose": "Other scanners",
        "amount": {"value": "5", "currency": "USD"},
    },
    {
        "type": "FundsDisbursed",
        "disbursement": "d1",
        "of": "g1",
        "key": "k-d1",
        "amount": {"value": "600", "currency": "USD"},
    },
    {
        "type": "FundsDisbursed",
        "disbursement": "d2",
        "of": "g1",
        "amount": {"value": "600", "currency": "USD"},
    },  # beyond the ceiling after d1
    {
        "type": "FundsDisbursed",
        "disbursement": "d3",
        "of": "g1",
        "amount": {"value": "10", "currency": "EUR"},
    },  # another currency
    {
        "type": "EquipmentFunded",
        "grant": "g1",
        "items": [{"description": "Scanner", "quantity": 2}],
    },
    {
        "type": "LoanAgreementSigned",
        "loan": "l1",
        "lender": "jica",
        "borrower": "UZ",
        "purpose": "Hospitals",
        "key": "k-l1",
        "amount": {"value": "100", "currency": "JPY"},
    },
    {
        "type": "FundsDisbursed",
        "disbursement": "d4",
        "of": "l1",
        "amount": {"value": "100", "currency": "JPY"},
    },
    {
        "type": "ClinicPlanned",
        "project": "p1",
        "name": "Clinic",
        "country": "UZ",
        "beds": 40,
        "financing": "ppp",
        "key": "k-p1",
    },
    {"type": "ProjectMilestoneReached", "project": "p1", "milestone": "construction-started"},
    {"type": "ProjectMilestoneReached", "project": "p1", "milestone": "opened"},
    {"type": "ProjectMilestoneReached", "project": "p1", "milestone": "cancelled"},
    {
        "type": "MeetingHeld",
        "meeting": "m1",
        "countries": ["JP", "UZ"],
        "key": "k-m1",
        "participants": ["moh", "jica"],
        "summary": "Talks",
        "sources": [SOURCE],
    },
    {
        "type": "MeetingHeld",
        "meeting": "m2",
        "countries": ["JP", "UZ"],
        "participants": ["mohh"],
        "summary": "Talks with a typo",
    },
    {
        "type": "EventCorrected",
        "target": "k-g1",
        "changes": {"purpose": "CT scanners"},
        "reason": "misread",
        "key": "k-c1",
    },
    {
        "type": "EventCorrected",
        "target": "k-d1",
        "changes": {"amount": {"value": "999", "currency": "USD"}},
        "reason": "misread",
    },  # d1 + d2 over the ceiling
    {
        "type": "EventCorrected",
        "target": "k-c1",
        "changes": {"reason": "x"},
        "reason": "a correction of a correction",
    },
    {
        "type": "EventCorrected",
        "target": "k-m1",
        "changes": {"participants": ["nobody"]},
        "reason": "names an unknown org",
    },
    {"type": "EventRetracted", "target": "k-g1", "reason": "never signed"},
    {"type": "EventRetracted", "target": "k-moh", "reason": "no such ministry"},
    {"type": "EventRetracted", "target": "k-m1", "reason": "did not happen"},
    {"type": "EventRetracted", "target": "k-unknown", "reason": "nothing"},
    {"type": "EventCorroborated", "target": "k-m1", "sources": [OTHER_SOURCE]},
    {"type": "CommitmentStated", "by": "JP", "statement": "We will help", "key": "k-moh"},
]

NOT_DATED = {"OrganizationRegistered", "EventCorrected", "EventRetracted", "EventCorroborated"}
for line in POOL:
    if line["type"] not in NOT_DATED:
        line.setdefault("occurred_on", "2024-03")


class Lines:
    """Facts as `diplo import` reads them (cli.inputs.ImportFiles), from a list."""

    def __init__(self, facts: list[tuple[str, Any]], problems: Problems | None) -> None:
        self.facts, self.problems, self.count, self.size = facts, problems, 0, None

    def __iter__(self) -> Any:
        for pair in self.facts:
            self.count += 1
            yield pair

    def position(self) -> int:
        return self.count


def outcome(
    store: Path | str,
    held: list[int],
    lines: list[int],
    chunk: int,
    bulk: bool | str,
    every_problem: bool = False,
) -> Any:
    """What recording ``held`` lines and then ``lines`` (in chunks of ``chunk``) gives; with
    ``every_problem``, checking goes on after a refusal, as `diplo import` does, and the
    refusal names every problem found. ``bulk`` is True, False or "ahead": the bulk path fed
    by a second process that reads and prepares the facts (domain.app.ahead), as `diplo
    import` is."""
    ledger = open_ledger(str(store), create=True)
    try:
        facts = [(f"in.jsonl:{n}", parse_fact(POOL[i])) for n, i in enumerate(held, 1)]
        # what the ledger held before, whatever it is, the same for both
        with contextlib.suppress(LedgerError):
            ledger.record(facts, recorded_by="clerk", bulk=False)
        before = rows(ledger)
        facts = [(f"in.jsonl:{n}", parse_fact(POOL[i])) for n, i in enumerate(lines, 1)]
        original = ledger_module.CHUNK
        ledger_module.CHUNK = chunk
        try:
            problems = Problems(["in.jsonl"]) if every_problem else None
            source: Any = facts
            if bulk == "ahead":
                source = ReadAhead(Lines(facts, problems), "clerk")
            done = ledger.record(source, recorded_by="clerk", bulk=bool(bulk), problems=problems)
        except LedgerError as error:
            assert rows(ledger) == before, "a refused import changed the ledger"
            return type(error).__name__, str(error)
        finally:
            ledger_module.CHUNK = original
        return (done.new, done.skipped, done.corroborated, done.positions), rows(ledger)
    finally:
        ledger.close()


def rows(ledger: Any) -> list[tuple[Any, ...]]:
    """Every stored row but its recording time (a bulk import is not the same instant)."""
    found = []
    for row in ledger.recorder.scan_page(0, 1_000_000):
        position, stream, version, topic, state, _, key, content = row
        record = orjson.loads(bytes(state))
        stream = UUID(str(stream)).hex  # SQLite keeps hex text, PostgreSQL a uuid
        found.append((position, stream, version, topic, record["fact"], record["v"], key, content))
    return found


indexes = st.integers(0, len(POOL) - 1)


def examples(count: int) -> Any:
    """Hypothesis settings for these tests: ``count`` streams, each imported into real
    ledgers (no deadline), in a temporary folder per example."""
    return settings(
        max_examples=count,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )


@examples(120)
@given(
    held=st.lists(indexes, max_size=8),
    lines=st.lists(indexes, min_size=1, max_size=18),
    chunk=st.integers(1, 6),
)
def test_bulk_and_single_paths_agree_on_any_stream(
    tmp_path_factory: pytest.TempPathFactory, held: list[int], lines: list[int], chunk: int
) -> None:
    folder = tmp_path_factory.mktemp("agree")
    single = outcome(folder / "single.db", held, lines, chunk, bulk=False)
    bulk = outcome(folder / "bulk.db", held, lines, chunk, bulk=True)
    ahead = outcome(folder / "ahead.db", held, lines, chunk, bulk="ahead")
    assert bulk == single
    assert ahead == single


@examples(60)
@given(
    held=st.lists(indexes, max_size=8),
    lines=st.lists(indexes, min_size=1, max_size=18),
    chunk=st.integers(1, 6),
    every_problem=st.booleans(),
)
def test_a_bulk_import_that_forgets_what_it_held_still_agrees(
    tmp_path_factory: pytest.TempPathFactory,
    held: list[int],
    lines: list[int],
    chunk: int,
    every_problem: bool,
) -> None:
    """A long import keeps only so many records, creating events and known streams between
    chunks (Batch.KEEP, Batch.KNOWN); what it let go is read from the store again. With
    room for one of each, every later chunk reads back what it needs, and must agree."""
    folder = tmp_path_factory.mktemp("forget")
    single = outcome(
        folder / "single.db", held, lines, chunk, bulk=False, every_problem=every_problem
    )
    # ...and a key filter so small that every key may be held: each is asked of the store
    with (
        mock.patch.object(Batch, "KEEP", 1),
        mock.patch.object(Batch, "KNOWN", 1),
        mock.patch.object(KeyFilter, "BITS", 8),
    ):
        ahead = outcome(
            folder / "ahead.db", held, lines, chunk, bulk="ahead", every_problem=every_problem
        )
    assert ahead == single


@examples(60)
@given(
    held=st.lists(indexes, min_size=1, max_size=8),
    lines=st.lists(indexes, min_size=1, max_size=18),
    chunk=st.integers(1, 6),
)
@example(held=[0, 1, 23], lines=[4, 16], chunk=1)  # names a ministry the store holds retracted
@example(held=[0, 1, 4, 22], lines=[6, 9], chunk=2)  # acts on a grant the store holds retracted
@example(held=[0, 1], lines=[1, 27], chunk=1)  # a key the store holds: again, then reused
def test_an_import_that_reads_every_stream_at_once_agrees_with_one_that_looks_them_up(
    tmp_path_factory: pytest.TempPathFactory, held: list[int], lines: list[int], chunk: int
) -> None:
    """An import may learn every stream of a small store at once (Known.take_stock: then it
    asks the store nothing per chunk, and a stream it does not know does not exist), or look
    up the streams each chunk names. On a ledger that holds records, retractions among them,
    both must record and refuse alike."""
    folder = tmp_path_factory.mktemp("stock")
    single = outcome(folder / "single.db", held, lines, chunk, bulk=False)
    with mock.patch.object(Batch, "STOCK", 0):  # never for a store that holds anything
        looked_up = outcome(folder / "looked.db", held, lines, chunk, bulk="ahead")
    with mock.patch.object(Batch, "STOCK", 10**9):  # always, from the first chunk
        stocked = outcome(folder / "stocked.db", held, lines, chunk, bulk="ahead")
    assert looked_up == single
    assert stocked == single


def test_an_import_knows_a_small_store_whole_and_a_large_one_by_looking_up(
    tmp_path: Path,
) -> None:
    """Reading every stream pays when the store holds few events per fact imported; an
    import into a large store keeps asking chunk by chunk, and one that outgrows what it may
    remember (Batch.KNOWN) goes back to asking."""
    ledger = open_ledger(str(tmp_path / "l.db"), create=True)
    ledger.record([("", parse_fact(POOL[0])), ("", parse_fact(POOL[1]))], recorded_by="c")
    batch = Batch(ledger)
    batch.take_stock(facts=0)
    assert not batch.complete  # 2 events, no fact seen yet: looking up is cheaper
    batch.take_stock(facts=1)
    assert batch.complete  # 2 events <= 4 per fact: every stream read at once
    moh = UUID(int=next(n for n, known in batch._exists.items() if known))  # noqa: SLF001
    assert batch.exists(moh)
    assert not batch.exists(UUID(int=12345))  # lacking means absent: nothing is asked
    with mock.patch.object(Batch, "KNOWN", 1):
        batch.forget_oldest()
    assert not batch.complete
    batch.take_stock(facts=10)
    assert not batch.complete  # given up for good: it could not hold them all
    ledger.close()


@examples(60)
@given(
    held=st.lists(indexes, max_size=6),
    lines=st.lists(indexes, min_size=1, max_size=18),
    chunk=st.integers(1, 6),
)
def test_both_paths_go_on_after_a_refusal_and_tell_the_same_problems(
    tmp_path_factory: pytest.TempPathFactory, held: list[int], lines: list[int], chunk: int
) -> None:
    """What an import does with a bad line among good ones: every later line is still
    checked (a key may recur in the input, a record refused may be named again), and both
    paths tell the same problems, or record the same rows."""
    folder = tmp_path_factory.mktemp("every")
    single = outcome(folder / "single.db", held, lines, chunk, bulk=False, every_problem=True)
    bulk = outcome(folder / "bulk.db", held, lines, chunk, bulk=True, every_problem=True)
    ahead = outcome(folder / "ahead.db", held, lines, chunk, bulk="ahead", every_problem=True)
    assert bulk == single
    assert ahead == single


@pytest.mark.parametrize("bulk", [True, False, "ahead"])
def test_a_refused_command_leaves_its_record_as_it_was_for_the_lines_after_it(
    tmp_path: Path, bulk: bool | str
) -> None:
    """Line 4 disburses beyond the grant and is refused; line 5 repeats it: it is judged
    against the grant as recorded (beyond it again), not as if line 4 had been recorded."""
    told = outcome(tmp_path / "ledger.db", [], [0, 0, 5, 6, 6], 2, bulk=bulk, every_problem=True)
    beyond = "amount: disbursements of grant 'g1' would total 600 USD, more than exactly 5 USD"
    assert told == ("InvalidEvent", f"in.jsonl:4: {beyond} agreed\nin.jsonl:5: {beyond} agreed")


@pytest.mark.parametrize("bulk", [True, False, "ahead"])
def test_a_key_reused_in_one_chunk_refuses_only_the_reuse(tmp_path: Path, bulk: bool | str) -> None:
    """Line 3 reuses line 2's key for another record: only line 3 is refused, and line 2's
    organisation is registered as itself (line 4's meeting names it without complaint)."""
    told = outcome(tmp_path / "ledger.db", [], [1, 0, 27, 16], 4, bulk=bulk, every_problem=True)
    assert told == (
        "InvalidEvent",
        "in.jsonl:3: key: 'k-moh' is already recorded with different content; use another "
        "key, or correct the recorded event",
    )


def test_a_valid_stream_in_order_is_recorded_the_same_way(tmp_path: Path) -> None:
    valid = [0, 1, 2, 4, 6, 9, 10, 11, 12, 13, 16, 18, 26, 14, 24]
    single = outcome(tmp_path / "single.db", [], valid, 4, bulk=False)
    bulk = outcome(tmp_path / "bulk.db", [], valid, 4, bulk=True)
    ahead = outcome(tmp_path / "ahead.db", [], valid, 4, bulk="ahead")
    assert bulk == single == ahead
    assert isinstance(bulk[1], list) and len(bulk[1]) == len(valid)


@pytest.mark.parametrize(
    ("lines", "error"),
    [
        ([0, 1, 4, 6, 7], "OverDisbursed"),
        ([0, 1, 12, 14], "MilestoneOutOfOrder"),
        ([0, 1, 4, 22, 9], "GrantNotSigned"),
        ([0, 1, 4, 3], "AlreadyExists"),
        ([0, 1, 16, 24, 26], "AlreadyRetracted"),
        ([0, 1, 17], "UnknownReference"),
        ([0, 1, 4, 18, 20], "InvalidCorrection"),
    ],
)
def test_each_rule_refuses_the_same_line_with_the_same_words_on_both_paths(
    tmp_path: Path, lines: list[int], error: str
) -> None:
    single = outcome(tmp_path / "single.db", [], lines, 2, bulk=False)
    bulk = outcome(tmp_path / "bulk.db", [], lines, 2, bulk=True)
    ahead = outcome(tmp_path / "ahead.db", [], lines, 2, bulk="ahead")
    assert bulk == single == ahead
    assert bulk[0] == error and bulk[1].startswith(f"in.jsonl:{len(lines)}: ")


@pytest.mark.parametrize(
    "lines", [[0, 1, 2, 4, 6, 9, 10, 11, 12, 13, 16, 18, 26, 14, 24], [0, 1, 4, 6, 7]]
)
def test_the_bulk_path_into_postgresql_records_and_refuses_as_sqlite_does(
    tmp_path: Path, pg_store: str, lines: list[int]
) -> None:
    single = outcome(tmp_path / "single.db", [], lines, 3, bulk=False)
    assert outcome(pg_store, [], lines, 3, bulk="ahead") == single


@pytest.mark.parametrize("stock", [0, 10**9])
def test_an_import_into_a_postgresql_store_that_holds_retractions_refuses_as_sqlite_does(
    tmp_path: Path, pg_store: str, stock: int
) -> None:
    """Whether it reads every stream of the store at once or looks them up (Batch.STOCK)."""
    held, lines = [0, 1, 12, 23], [16, 4]  # a meeting at a ministry the store holds retracted
    single = outcome(tmp_path / "single.db", held, lines, 1, bulk=False)
    with mock.patch.object(Batch, "STOCK", stock):
        assert outcome(pg_store, held, lines, 1, bulk="ahead") == single
    assert single[0] == "RetractedReference"


def test_a_fresh_process_imports_records_that_name_records_created_in_the_same_import(
    tmp_path: Path,
) -> None:
    """In a new interpreter nothing has registered the aggregates' topics yet; the bulk path
    applies stored-form events by topic, so it must register them itself."""
    import subprocess
    import sys

    store = tmp_path / "ledger.db"
    seed = Path(__file__).parents[2] / "examples" / "japan-uzbekistan-health.jsonl"
    cli = [sys.executable, "-m", "diplo.cli.main"]
    subprocess.run([*cli, "init", "--store", str(store)], check=True, capture_output=True)
    done = subprocess.run(
        [*cli, "import", str(seed), "--store", str(store)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert "recorded 23 new" in done.stdout


def test_a_bulk_import_records_each_chunk_at_one_time_that_never_goes_back(
    tmp_path: Path,
) -> None:
    """The clock is read once per chunk (entity.NOW): every event of a chunk is recorded at
    that time, and times never decrease along the log, commands and creations alike."""
    lines = [0, 1, 4, 6, 9, 10, 11, 12, 13, 16, 18, 26, 14, 24]
    outcome(tmp_path / "l.db", [], lines, 4, bulk="ahead")
    ledger = open_ledger(str(tmp_path / "l.db"))
    times = [stored.recorded_at for stored in ledger.read()]
    ledger.close()
    assert len(times) == len(lines) > 4
    assert times == sorted(times)
    assert len(set(times[:4])) == 1 and times[4] > times[0]
