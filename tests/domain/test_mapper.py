"""The mapper turns each event into the row it is stored as: one at a time (an application
saving an aggregate) or a whole import's events in one loop, the same rows either way."""

from __future__ import annotations

import json
from pathlib import Path
from typing import cast

from diplo.cli.inputs import ImportFiles
from diplo.domain.app.prepared import Prepared, prepare
from diplo.domain.app.stamping import stamp
from diplo.domain.model.entity import creation
from diplo.domain.model.routing import ROUTES
from diplo.domain.store.mapper import FactMapper
from diplo.domain.store.opening import open_ledger
from diplo.domain.store.records import decode_fact
from tests.generate import generate


def test_an_import_maps_its_events_to_the_rows_one_by_one_mapping_makes(tmp_path: Path) -> None:
    given = tmp_path / "in.jsonl"
    given.write_text("".join(json.dumps(body) + "\n" for body in generate(300)))
    events = []
    for where, fact in ImportFiles([str(given)]):
        route = ROUTES.get(fact.type)
        if route is None or route.command is not None:
            continue  # creating facts: an event of their own aggregate, version 1
        stream = route.streams(fact)[0]
        events.append(creation(route.aggregate, stream, stamp(fact, "clerk")))
        events.append(creation(route.aggregate, stream, Prepared(prepare(where, fact, "clerk"))))
    ledger = open_ledger(str(tmp_path / "ledger.db"), create=True)
    mapper = cast(FactMapper, ledger.mapper)
    ledger.close()
    rows = mapper.to_stored_events(events)
    assert len(rows) == len(events) > 200
    assert rows == [mapper.to_stored_event(event) for event in events]
    for model_row, prepared_row in zip(rows[::2], rows[1::2], strict=True):
        assert (model_row.key, model_row.content_hash) == (
            prepared_row.key,
            prepared_row.content_hash,
        )
        assert decode_fact(model_row.state)[0] == decode_fact(prepared_row.state)[0]
