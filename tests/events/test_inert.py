"""Hidden characters: shown as escapes to people, as JSON escapes to programs, never obeyed."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from diplo.events.inert import hidden, json_at, json_inert, visible

JSON_DATA = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda children: st.lists(children) | st.dictionaries(st.text(), children),
    max_leaves=10,
)


@given(JSON_DATA)
def test_inert_json_decodes_to_exactly_the_same_data(data: object) -> None:
    text = json_inert(json.dumps(data, ensure_ascii=False))
    assert json.loads(text) == data
    assert not any(hidden(char) for char in text)


@given(st.text())
def test_visible_text_holds_no_hidden_character_and_keeps_every_other_one(text: str) -> None:
    shown = visible(text)
    assert not any(hidden(char) for char in shown)
    assert [c for c in shown if not c.isascii()] == [
        c for c in text if not c.isascii() and not hidden(c)
    ]


def test_text_without_hidden_characters_is_shown_unchanged() -> None:
    for text in ["Ministry of Health", "Tōkyō 東京", "اوزبکستان\u200c", "👩\u200d👩", "a\u00a0b"]:
        assert visible(text) == text


def test_each_kind_of_hidden_character_has_a_readable_escape() -> None:
    assert visible("\x1b[2J\x9b\x7f") == "\\x1b[2J\\x9b\\x7f"
    assert visible("\u202eabc\u2069") == "\\u202eabc\\u2069"
    assert visible("\U000e0041\ud800\u3164") == "\\U000e0041\\ud800\\u3164"


ANY_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda children: (
        st.lists(children) | st.tuples(children) | st.dictionaries(st.text(), children)
    ),
    max_leaves=25,
)


@settings(max_examples=500)
@given(ANY_JSON, st.integers(0, 3))
def test_json_at_a_depth_is_the_text_the_indenting_encoder_writes_there(
    data: object, depth: int
) -> None:
    """Written by the C encoder where it can (a row took 35 µs in Python's), it is still the
    very text of ``json.dumps(indent=2, sort_keys=True)``, indented ``depth`` levels down."""
    whole = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)
    assert json_at(data, depth) == whole.replace("\n", "\n" + "  " * depth)


def test_a_report_row_is_written_by_the_c_encoder(monkeypatch: pytest.MonkeyPatch) -> None:
    """Python's indenting encoder is the slow path: a row of values never takes it."""
    import json.encoder

    monkeypatch.setattr(json.encoder, "_make_iterencode", None)  # the Python encoder, gone
    row = {"grant": "g-1", "amount": 1.5e6, "donor": "JP", "sources": None, "open": True}
    assert json.loads(json_at(row, 2)) == row
    assert json.loads(json_at(list(row.values()), 1)) == list(row.values())
