"""The declarations of the event types agree with every table the code builds from them.

A type is declared once (diplo.events.types); the catalog, the routes to aggregates, the view
rows, the views tables, the party fields and the summaries all come from that declaration. These
tests fail when a declaration names a field, a command or a table that does not exist, or when
a part of the code would silently leave a type out.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from diplo.domain.model.entity import Entity
from diplo.domain.model.routing import AGGREGATES, KINDS, ROUTES
from diplo.events.catalog import CATALOG
from diplo.events.declaration import Declaration, Meta, declarations
from diplo.events.directory import Directory, summarize
from diplo.projections.derive import derive
from diplo.projections.tables import BY_NAME, PAIR_KINDS, TABLES
from tests.conftest import SEED

EXAMPLES = SEED.parent

DECLARED = list(declarations().values())
BOOKKEEPING = {"timeline", "_pairs", "_mentions", "sources"}  # rows every activity may add
# Types the bundled articles do not happen to use, as a clerk would record them.
MORE = [
    {
        "type": "ProjectMilestoneReached",
        "project": "samarkand-clinic-800",
        "milestone": "construction-started",
        "occurred_on": "2025-06",
    },
    {
        "type": "VisitMade",
        "visit": "v1",
        "visitor": "suzuki-satoshi",
        "host": "IN",
        "kind": "official",
        "occurred_on": "2020-09",
    },
    {
        "type": "TechnicalCooperationProvided",
        "activity": "t1",
        "provider": "jica",
        "recipient": "IN",
        "kind": "training",
        "field": "intensive care",
        "people": 40,
        "period": "2021/2022",
        "occurred_on": "2021",
    },
    {
        "type": "FundsDisbursed",
        "disbursement": "d1",
        "of": "in-covid-crisis-response-2020",
        "amount": {"value": "1000", "currency": "JPY"},
        "occurred_on": "2020-09",
    },
    {
        "type": "EventCorroborated",
        "target": "uza-676233/org/gov-jp",
        "sources": [{"publisher": "NetIndian", "title": "t"}],
    },
]


def examples() -> dict[str, dict[str, Any]]:
    """One event of each type: from the bundled articles, then the few they do not use."""
    found: dict[str, dict[str, Any]] = {}
    lines = [
        line for path in sorted(EXAMPLES.glob("*.jsonl")) for line in path.read_text().splitlines()
    ]
    for data in [*map(json.loads, lines), *MORE]:
        data.setdefault("key", f"example/{data['type']}")
        found.setdefault(data["type"], data)
    return found


def by_name(name: str) -> Declaration:
    return declarations()[name]


def test_the_catalog_is_exactly_the_declared_types() -> None:
    assert list(CATALOG) == [d.name for d in DECLARED]
    assert all(CATALOG[d.name] is d.model for d in DECLARED)


@pytest.mark.parametrize("declaration", DECLARED, ids=lambda d: d.name)
def test_every_type_names_only_fields_it_has(declaration: Declaration) -> None:
    fields = set(declaration.model.model_fields)
    assert declaration.subject in fields
    assert set(declaration.parties) <= fields
    assert set(declaration.mention_fields) <= fields


@pytest.mark.parametrize("declaration", DECLARED, ids=lambda d: d.name)
def test_every_type_is_routed_to_an_aggregate_or_is_a_correction(
    declaration: Declaration,
) -> None:
    if declaration.record == "target":  # amendments act on their target's aggregate
        assert declaration.name not in ROUTES
        assert callable(getattr(Entity, str(declaration.command)))
        return
    route = ROUTES[declaration.name]
    assert route.aggregates == tuple(KINDS[kind] for kind in declaration.records)
    assert route.subject == declaration.subject
    if declaration.creates:
        assert declaration.subject == route.aggregate.SUBJECT
        assert route.command is None
        assert hasattr(route.aggregate, declaration.name), "its creating event class"
    else:
        for aggregate in route.aggregates:
            assert callable(getattr(aggregate, str(declaration.command)))


def test_every_aggregate_event_class_is_a_declared_type() -> None:
    for aggregate in AGGREGATES:
        for name, value in vars(aggregate).items():
            if isinstance(value, type) and name[0].isupper() and name in CATALOG:
                assert name in declarations()


@pytest.mark.parametrize("declaration", DECLARED, ids=lambda d: d.name)
def test_every_type_derives_rows_only_into_its_declared_tables(
    declaration: Declaration,
) -> None:
    if declaration.rows is None:
        assert declaration.record == "target", "only amendments may derive no rows of their own"
        return
    example = examples()[declaration.name]
    directory = Directory()
    rows = derive(example, Meta(example["key"], 1, "2026-01-01T00:00:00"), directory)
    own = {table.name for table in declaration.tables}
    assert own, "a type with rows declares its tables"
    assert set(rows) - BOOKKEEPING <= own
    assert set(rows) & own, "it derives a row of its own"
    for table, table_rows in rows.items():
        for row in table_rows:
            if isinstance(row, dict):
                assert set(row) <= set(BY_NAME[table].columns), table
            else:  # derived for every type alike (sources, _mentions, timeline): in order
                assert len(row) == len(BY_NAME[table].columns), table
    assert ("timeline" in rows) == declaration.on_timeline
    if declaration.pair_kind:
        assert declaration.pair_kind[0] in PAIR_KINDS


def test_the_log_remembers_a_records_countries_only_if_a_later_fact_may_name_it() -> None:
    """Equipment funded later names only its grant: the log finds its countries through the
    grant it remembers. No fact acts on a meeting or a commitment: remembering theirs would
    only add a row per meeting to the views' ``_log_directory``."""
    facts, directory = examples(), Directory()
    for example in facts.values():  # in the articles' order: registrations first
        directory.follow(example)
    created = [d for d in DECLARED if d.creates and d.on_timeline and d.name in facts]
    for declaration in created:
        example = facts[declaration.name]
        kept = directory.records.get((declaration.record, example[declaration.subject]))
        countries = directory.countries_in(example, declaration)
        expected = countries if declaration.named_later else None
        assert (None if kept is None else list(kept)) == expected, declaration.name
    named = {d.record for d in created if d.named_later}
    assert {"grant", "project"} <= named
    assert not named & {"meeting", "commitment", "cooperation", "delivery"}
    funded = facts["EquipmentFunded"]
    signed = facts["GrantAgreementSigned"]
    assert funded["grant"] == signed["grant"]
    assert directory.countries_in(funded) == list(directory.records[("grant", signed["grant"])])
    assert directory.countries_in(funded) != []


@pytest.mark.parametrize("declaration", DECLARED, ids=lambda d: d.name)
def test_every_type_has_a_one_line_summary(declaration: Declaration) -> None:
    example = examples().get(declaration.name) or {
        "type": declaration.name,
        "target": "k",
        "changes": {"beds": 1},
        "reason": "r",
    }
    line = summarize(example, Directory())
    assert line and "\n" not in line and line != declaration.name


def test_activity_types_carry_a_cameo_code() -> None:
    for declaration in DECLARED:
        if declaration.on_timeline:
            assert declaration.codes.cameo and len(declaration.codes.cameo) == 3


def test_every_table_is_declared_once() -> None:
    names = [table.name for table in TABLES]
    assert len(names) == len(set(names))


def test_a_views_file_of_the_previous_version_gets_every_table_and_the_same_rows(
    diplo: Any, tmp_path: Path
) -> None:
    fixture = Path(__file__).parent / "fixtures" / "ledger-0.1"
    for name in ("ledger.db", "ledger.views.db"):
        shutil.copy(fixture / name, tmp_path / name)
    store = str(tmp_path / "ledger.db")
    result = diplo("report", "grants", "--format", "json", "--store", store)
    assert result.exit_code == 0, result.output
    views = sqlite3.connect(tmp_path / "ledger.views.db")
    present = {row[0] for row in views.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {table.name for table in TABLES} <= present
    mentions = views.execute("SELECT COUNT(*) FROM _mentions").fetchone()[0]
    assert mentions > 0, "the events were derived again under the new layout"
    assert "made by another version of diplo, with other tables; rebuilding" in result.stderr
    report = json.loads(result.stdout)
    assert report["figures"]["grants"] == "3"
    assert len(report["sections"]["Grants"]) == 3
