"""Fixtures of the projections' tests."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from diplo.projections.current import ViewsDb
from diplo.projections.runner import views_path
from tests.generate import generate

EXAMPLES = sorted((Path(__file__).parents[2] / "examples").glob("*.jsonl"))


@pytest.fixture
def views(store: str) -> str:
    """Where the views of the test's store live."""
    return views_path(store)


@pytest.fixture(scope="session")
def varied_views(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ViewsDb]:
    """The views of the bundled articles and 3,000 generated events, with corrections, and
    two retractions of each kind of event (the generator retracts nothing), read as reports
    read them."""
    from typer.testing import CliRunner

    from diplo.cli.main import app

    folder = tmp_path_factory.mktemp("varied")
    bodies = list(generate(3000))
    # The generator retracts nothing: retract the first two events of each kind.
    kinds: dict[str, list[str]] = {}
    for body in bodies:
        kinds.setdefault(body["type"], []).append(body["key"])
    retractions = [
        {"type": "EventRetracted", "target": key, "reason": "never happened"}
        for kind, keys in kinds.items()
        if kind not in ("OrganizationRegistered", "EventCorrected")
        for key in keys[:2]
    ]
    generated = folder / "generated.jsonl"
    generated.write_text("".join(json.dumps(body) + "\n" for body in bodies + retractions))
    store = str(folder / "ledger.db")
    assert CliRunner().invoke(app, ["init", "--store", store]).exit_code == 0
    for source in [*EXAMPLES, generated]:
        result = CliRunner().invoke(app, ["import", str(source), "--store", store])
        assert result.exit_code == 0, result.output
    db = ViewsDb(sqlite3.connect(views_path(store)))
    yield db
    db.close()
