"""The mapper turns each event into the row it is stored as, in one loop over a whole import's
events (one at a time is a loop of one): the rows are the stored events its dataclass makes
from the record's bytes and content hash, whether the fact is a model or prepared."""

from __future__ import annotations

import json
from pathlib import Path
from typing import cast

from diplo.cli.inputs import ImportFiles
from diplo.domain.app.prepared import Prepared, model, prepare
from diplo.domain.app.stamping import stamp
from diplo.domain.model.entity import creation
from diplo.domain.model.routing import ROUTES
from diplo.domain.store.interface import KeyedStoredEvent
from diplo.domain.store.mapper import FactMapper
from diplo.domain.store.opening import open_ledger
from diplo.domain.store.records import decode_fact, encode_record
from diplo.domain.store.topics import stable_topic
from diplo.events.catalog import content_hash
from tests.generate import generate


def test_an_import_maps_its_events_to_the_stored_events_of_their_records(tmp_path: Path) -> None:
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
    assert rows == [
        KeyedStoredEvent(
            originator_id=event.originator_id,
            originator_version=event.originator_version,
            topic=stable_topic(type(event)),
            state=encode_record(model(event.fact), event.timestamp),
            key=event.fact.key,
            content_hash=content_hash(model(event.fact)),
        )
        for event in events
    ]
    assert mapper.to_stored_event(events[1]) == rows[1]
    for model_row, prepared_row in zip(rows[::2], rows[1::2], strict=True):
        assert (model_row.key, model_row.content_hash) == (
            prepared_row.key,
            prepared_row.content_hash,
        )
        assert decode_fact(model_row.state)[0] == decode_fact(prepared_row.state)[0]
