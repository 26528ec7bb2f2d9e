"""Import input is read lazily, line by line, across files, with its place always known."""

from __future__ import annotations

from pathlib import Path

import pytest

from diplo.cli.inputs import ImportFiles
from diplo.events.errors import InvalidEvent
from tests.conftest import GRANT, ORG, PERSON, write_jsonl


def test_facts_come_in_file_order_named_by_file_and_line(tmp_path: Path) -> None:
    first = write_jsonl(tmp_path / "a.jsonl", ORG, PERSON)
    second = write_jsonl(tmp_path / "b.jsonl", GRANT)
    pairs = [(where, fact.type) for where, fact in ImportFiles([first, second])]
    assert pairs == [
        (f"{first}:1", "OrganizationRegistered"),
        (f"{first}:2", "PersonRegistered"),
        (f"{second}:1", "GrantAgreementSigned"),
    ]


def test_nothing_is_read_before_it_is_asked_for(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "a.jsonl", ORG, PERSON, GRANT)
    facts = ImportFiles([path])
    iterator = iter(facts)
    assert (facts.count, facts.position()) == (0, 0)
    next(iterator)
    assert facts.count == 1
    list(iterator)
    size = Path(path).stat().st_size
    assert (facts.count, facts.position(), facts.size) == (3, size, size)


def test_bytes_read_add_up_over_several_files(tmp_path: Path) -> None:
    paths = [write_jsonl(tmp_path / f"{n}.jsonl", ORG) for n in range(3)]
    facts = ImportFiles(paths)
    list(facts)
    assert facts.position() == facts.size == sum(Path(p).stat().st_size for p in paths)


def test_a_missing_file_is_named_in_the_refusal(tmp_path: Path) -> None:
    with pytest.raises(InvalidEvent, match="cannot read file") as refused:
        list(ImportFiles([str(tmp_path / "nowhere.jsonl")]))
    assert "nowhere.jsonl" in str(refused.value)
