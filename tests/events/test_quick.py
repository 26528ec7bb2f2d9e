"""The quick way of reading an import line agrees with the careful way: it accepts only what
the careful way accepts, builds the same fact, and leaves every refusal to the careful way."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from diplo.events import quick
from diplo.events.catalog import CATALOG, parse_fact
from diplo.events.envelope import Fact, Source
from diplo.events.errors import InvalidEvent
from diplo.events.jsonl import parse_line, plain_data
from diplo.events.quick import quick_fact
from diplo.events.values import Money, nfc
from tests.conftest import GRANT, ORG
from tests.generate import generate

CORPUS = Path(__file__).parent.parent / "corpus"


@pytest.fixture(autouse=True)
def quick_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every type read the quick way from its first line (an import waits for some hundreds)."""
    monkeypatch.setattr(quick, "QUICK_AFTER", 0)


def careful(data: Any) -> Fact | str:
    """The fact the careful way builds, or its refusal."""
    try:
        return parse_fact(data)
    except InvalidEvent as error:
        return str(error)


def assert_agrees(data: Any) -> None:
    """Quick accepts only what careful accepts, as the very same fact."""
    quick = quick_fact(data)
    if quick is None:
        return
    fact = careful(data)
    assert isinstance(fact, Fact), f"quick accepted what careful refuses: {fact}"
    assert type(quick) is type(fact)
    assert quick == fact
    assert quick.model_fields_set == fact.model_fields_set
    assert quick.model_dump() == fact.model_dump()
    for name in type(fact).model_fields:
        assert type(getattr(quick, name)) is type(getattr(fact, name)), name


def test_every_generated_event_is_read_quickly_as_the_careful_way_reads_it() -> None:
    for body in generate(3000):
        data = json.loads(json.dumps(body))
        assert quick_fact(data) is not None, body
        assert_agrees(data)


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.jsonl")), ids=lambda p: p.name)
def test_no_hostile_line_of_the_corpus_is_accepted_quickly(path: Path) -> None:
    for raw in path.read_bytes().splitlines():
        data = plain_data(raw)
        if data is not None:
            assert_agrees(data)


def test_a_type_is_read_quickly_once_it_has_been_seen_often_enough(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(quick, "QUICK_AFTER", 3)
    monkeypatch.setattr(quick, "_SEEN", {})
    monkeypatch.setattr(quick, "_VALIDATORS", {})
    data = json.loads(json.dumps(ORG))
    assert [quick_fact(data) is None for _ in range(5)] == [True, True, True, False, False]


def test_building_the_quick_validators_leaves_every_complete_model_complete() -> None:
    models = [*CATALOG.values(), Source, Money]
    for model in models:
        model.model_rebuild()  # as validating one of each type does
    complete = [model.__dict__.get("__pydantic_complete__") for model in models]
    for name in CATALOG:
        quick_fact({"type": name})
    assert [model.__dict__.get("__pydantic_complete__") for model in models] == complete


CODES = ["JP", "UZ", "jp", "XX", "SS", "JPY", "XXX", "XTS", "USD", "en", "EN", "zz", "moh-uz"]
TEXT = st.text(
    alphabet=st.sampled_from(list("aZ09 -.\t\n\r\x00\x1f\x7f\x85é\u200b\u2028")), max_size=12
)
VALUES = st.one_of(
    st.sampled_from(CODES),
    TEXT,
    st.sampled_from(["0", "01", "10.5", "1e5", "-1", "10.1234567", "1" * 19, "١٠"]),
    st.integers(),
    st.none(),
    st.booleans(),
    st.lists(st.sampled_from(CODES), max_size=2),
)
FIELDS = [
    ("donor",),
    ("recipient",),
    ("purpose",),
    ("note",),
    ("reported_by",),
    ("amount", "value"),
    ("amount", "currency"),
    ("sources", 0, "publisher"),
    ("sources", 0, "title"),
    ("sources", 0, "language"),
]


def with_value(body: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    data = json.loads(json.dumps(body | {"sources": [{"publisher": "UzA", "title": "T"}]}))
    node = data
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value
    return data


@settings(max_examples=400, deadline=None)
@given(path=st.sampled_from(FIELDS), value=VALUES)
def test_each_value_check_is_the_same_rule_both_ways(path: tuple[Any, ...], value: Any) -> None:
    data = with_value(GRANT, path, value)
    assert_agrees(data)
    if isinstance(careful(data), Fact):
        assert quick_fact(data) is not None, "careful accepts it: quick need not refuse it"


@settings(max_examples=200, deadline=None)
@given(name=st.sampled_from(["country", "name"]), value=VALUES)
def test_an_organisation_is_checked_the_same_both_ways(name: str, value: Any) -> None:
    assert_agrees(ORG | {name: value})


JSONISH = st.lists(
    st.sampled_from(
        [
            b"{",
            b"}",
            b"[",
            b"]",
            b",",
            b":",
            b'"a"',
            b'"b"',
            b'"type"',
            b'"x:y"',
            b"1",
            b"-0",
            b"1.5",
            b"1e400",
            b"18446744073709551616",
            b"12345678901234567890",
            b"NaN",
            b"null",
            b"true",
            b" ",
            b"\\u00e9",
            b'"\\u003a"',
            b'"\\""',
            b"\xc3\xa9",
            b'"e\xcc\x81"',  # e and a combining accent: NFC makes it one character
            b"\xef\xbb\xbf",  # a byte-order mark
            b"\xed\xa0\x80",  # a surrogate, which UTF-8 may not encode
            b"\xff",
            b"\t",
        ]
    ),
    max_size=14,
).map(b"".join)


@settings(max_examples=1000, deadline=None)
@given(raw=JSONISH)
def test_a_plain_line_is_read_as_the_careful_reader_reads_it(raw: bytes) -> None:
    data = plain_data(raw)
    if data is None:
        return
    try:
        expected = nfc(parse_line(raw))
    except InvalidEvent as error:
        pytest.fail(f"read quickly what the careful reader refuses: {error}")
    assert json.dumps(data) == json.dumps(expected)
    assert repr(data) == repr(expected)  # same types too: 1 is not 1.0


@pytest.mark.parametrize(
    "raw",
    [b'{"a": 1, "a": 2}', b'{"a": {"b": 1, "b": 1}}', b'{"n": 123456789012345678901}'],
)
def test_what_orjson_would_read_differently_is_left_to_the_careful_reader(raw: bytes) -> None:
    assert plain_data(raw) is None


@pytest.mark.parametrize(
    ("length", "accepted"), [(300, True), (301, True), (500, True), (501, False)]
)
def test_a_source_title_runs_to_500_characters_as_the_schema_says(
    length: int, accepted: bool
) -> None:
    """Headlines run longer than names: the title's limit is the 500 its schema publishes, the
    same both ways (a Name's 300 once refused titles of 301 to 500 characters)."""
    data = with_value(GRANT, ("sources", 0, "title"), "T" * length)
    assert isinstance(careful(data), Fact) is accepted
    assert (quick_fact(data) is not None) is accepted
    assert_agrees(data)
    assert Source.model_json_schema()["properties"]["title"]["maxLength"] == 500


def test_a_type_whose_quick_validator_cannot_be_built_is_read_the_careful_way(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The quick validator is built from pydantic-core's own schema format, which a pydantic
    release may change: if building fails, the type's lines are read the careful way, with
    the same facts and refusals, instead of the import failing."""

    def unbuildable(schema: Any) -> Any:
        raise TypeError("a schema this pydantic-core does not know")

    monkeypatch.setattr(quick, "_VALIDATORS", {})
    monkeypatch.setattr(quick, "SchemaValidator", unbuildable)
    data = json.loads(json.dumps(GRANT))
    assert quick_fact(data) is None
    assert quick_fact(data) is None  # tried once: the type stays with the careful way
    assert isinstance(careful(data), Fact)
