"""`diplo log --country` and `diplo audit PAIR` find every kind of activity.

The walk is over the declarations: every activity type must have an example here, with the
pair of countries it happened between, so a new type cannot be left out. Some name no country
themselves (equipment funded by a grant, money disbursed under a loan, a project's milestone):
they are found under the countries of the record they act on.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from diplo.events.declaration import declarations
from tests.conftest import write_jsonl
from tests.test_declarations import EXAMPLES, MORE, examples

# The pair each type's example (see tests/test_declarations.py) happened between.
PAIRS = {
    "MeetingHeld": ("JP", "LR"),  # Weah and Abe at TICAD 7
    "VisitMade": ("IN", "JP"),
    "StatementMade": ("IN", "JP"),  # the embassy's press release about India
    "CommitmentStated": ("JP", "LR"),  # the cabinet approved assistance to Liberia
    "DiplomaticRelationsEstablished": ("JP", "LR"),
    "AgreementSigned": ("IN", "JP"),
    "GrantAgreementSigned": ("IN", "JP"),
    "EquipmentFunded": ("IN", "JP"),  # names only its grant
    "EquipmentDelivered": ("JP", "UZ"),
    "LoanAgreementSigned": ("IN", "JP"),
    "FundsDisbursed": ("IN", "JP"),  # names only its loan
    "ClinicPlanned": ("JP", "UZ"),  # in Uzbekistan, with a Japanese partner
    "ProjectMilestoneReached": ("JP", "UZ"),  # names only its project
    "CooperationEstablished": ("JP", "UZ"),
    "TechnicalCooperationProvided": ("IN", "JP"),
}
ACTIVITY = [d.name for d in declarations().values() if d.on_timeline]


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> str:
    from typer.testing import CliRunner

    from diplo.cli.main import app
    from diplo.domain.store.opening import open_ledger

    folder = tmp_path_factory.mktemp("found")
    store = str(folder / "ledger.db")
    open_ledger(store, create=True).close()
    activity = [examples()[m["type"]] for m in MORE if m["type"] in ACTIVITY]
    more = write_jsonl(folder / "more.jsonl", *activity)
    for path in [*sorted(map(str, EXAMPLES.glob("*.jsonl"))), more]:
        result = CliRunner().invoke(app, ["import", path, "--store", store, "--no-views"])
        assert result.exit_code == 0, result.output
    return store


def keys(diplo: Any, *args: str) -> set[str]:
    result = diplo(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return {row["key"] for row in json.loads(result.stdout)}


def test_every_activity_type_has_an_example_and_its_pair() -> None:
    assert sorted(PAIRS) == sorted(ACTIVITY)


@pytest.mark.parametrize("type_name", ACTIVITY)
def test_log_by_country_and_audit_by_pair_find_each_type(
    diplo: Any, recorded: str, type_name: str
) -> None:
    key = examples()[type_name]["key"]
    a, b = PAIRS[type_name]
    for country in (a, b):
        assert key in keys(diplo, "log", "--country", country, "--store", recorded), country
    assert key in keys(diplo, "audit", f"{a}-{b}", "--store", recorded)
    third = "UZ" if "UZ" not in (a, b) else "IN"  # and not under a country it does not touch
    assert key not in keys(diplo, "audit", f"{min(a, third)}-{max(a, third)}", "--store", recorded)


def test_equipment_a_grant_funds_is_found_under_the_grant_s_countries(
    diplo: Any, store: str, tmp_path: Path
) -> None:
    """An event naming only its grant takes the grant's countries, and no other."""
    from tests.conftest import GRANT, ORG

    path = write_jsonl(
        tmp_path / "g.jsonl",
        ORG,
        GRANT,
        {
            "type": "EquipmentFunded",
            "grant": "g1",
            "items": [{"description": "beds"}],
            "occurred_on": "2025-03-15",
            "key": "eq",
        },
    )
    assert diplo("import", path, "--store", store).exit_code == 0
    assert "eq" in keys(diplo, "log", "--country", "UZ", "--store", store)
    assert "eq" in keys(diplo, "audit", "JP-UZ", "--store", store)
    assert "eq" not in keys(diplo, "log", "--country", "IN", "--store", store)
