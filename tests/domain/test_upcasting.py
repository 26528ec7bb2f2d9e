"""Old schema versions are upcast on read: stored bytes never change, so hashes still verify.

The scenario: version 1 of CooperationEstablished called its field ``area``; version 2 calls it
``field``. Events written as v1 must read back as v2 everywhere.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Annotated, Any, Literal

import pytest
from pydantic import Field

from diplo.domain.app.ledger import Ledger
from diplo.domain.integrity.verify import scan
from diplo.events.catalog import CATALOG, canonical_dict, parse_fact
from diplo.events.declared import versions
from diplo.events.envelope import Activity, refers_to
from diplo.events.types.meetings import CooperationEstablished
from diplo.events.upcasting import UPCASTERS
from diplo.events.values import Name, Party, Slug
from diplo.projections.runner import rebuild


class CooperationEstablishedV1(Activity):
    """The v1 shape, as it was before ``area`` was renamed ``field``."""

    type: Literal["CooperationEstablished"] = "CooperationEstablished"
    cooperation: Slug
    parties: Annotated[list[Party], Field(min_length=2)] = refers_to("country", "org")
    area: Name


def rename_area(data: dict[str, Any]) -> dict[str, Any]:
    data["field"] = data.pop("area")
    return data


V1 = {
    "type": "CooperationEstablished",
    "cooperation": "edu",
    "parties": ["JP", "UZ"],
    "area": "medical education",
    "occurred_on": "2024",
    "key": "coop-v1",
}


@pytest.fixture
def written_as_v1(ledger: Ledger, monkeypatch: pytest.MonkeyPatch) -> Ledger:
    monkeypatch.setitem(CATALOG, "CooperationEstablished", CooperationEstablishedV1)
    ledger.record([("v1", parse_fact(V1))], recorded_by="2024 clerk")
    # the upgrade: v2 becomes current, with an upcaster from v1
    monkeypatch.setitem(CATALOG, "CooperationEstablished", CooperationEstablished)
    monkeypatch.setattr(CooperationEstablished, "SCHEMA_VERSION", 2)
    # ...and the generated data readers take the current version from says so too
    # (tests/test_generated.py holds that file equal to the models)
    monkeypatch.setitem(versions(), "CooperationEstablished", 2)
    monkeypatch.setitem(UPCASTERS, ("CooperationEstablished", 1), rename_area)
    return ledger


def test_the_stored_bytes_stay_v1(written_as_v1: Ledger) -> None:
    (row,) = written_as_v1.recorder.scan_page(0, 10)
    stored = json.loads(row[4])
    assert stored["v"] == 1 and stored["fact"]["area"] == "medical education"


def test_v1_events_read_back_as_v2(written_as_v1: Ledger) -> None:
    (stored,) = written_as_v1.read()
    assert isinstance(stored.fact, CooperationEstablished)
    assert stored.fact.field == "medical education"
    assert "area" not in canonical_dict(stored.fact)  # exports see v2


def test_views_see_v2(written_as_v1: Ledger, tmp_path: Any) -> None:
    path = str(tmp_path / "views.db")
    rebuild(written_as_v1, path)
    rows = sqlite3.connect(path).execute("SELECT cooperation, field FROM cooperations").fetchall()
    assert rows == [("edu", "medical education")]


def test_a_v2_correction_of_a_v1_event_is_checked_against_v2(written_as_v1: Ledger) -> None:
    correction = {
        "type": "EventCorrected",
        "target": "coop-v1",
        "reason": "wider",
        "changes": {"field": "medical education and research"},
    }
    assert written_as_v1.record([("c", parse_fact(correction))], recorded_by="auditor").new == 1


def test_upcasting_never_breaks_verification(written_as_v1: Ledger) -> None:
    result = scan(written_as_v1)
    assert result.problems == [] and result.size == 1
