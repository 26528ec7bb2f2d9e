"""Red team: an HTML report shows what the ledger holds as text, never as markup.

Every cell of the dossier is built from recorded text: names, ids, amounts, currencies, stated
equivalents, free text. Whatever that text is, the cell may hold only the tags and attributes
the page itself writes, and a reader sees the text as recorded.
"""

from __future__ import annotations

from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from diplo.projections import svg
from diplo.projections.dossier import cell, grouped
from diplo.projections.reports import Report

TAGS = {"span", "small", "br", "wbr", "i"}  # what the page's cells are made of
ATTRIBUTES = {"class", "title", "style"}
HOSTILE = st.text(
    alphabet=st.sampled_from(list("<>&\"'=/ ab:;x0-_.\u202e")), min_size=1, max_size=60
)


class Fragment(HTMLParser):
    """The tags, attributes and text of a cell, as a browser's parser reads them."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.attributes: set[str] = set()
        self.values: list[str] = []
        self.text: list[str] = []
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes.update(name for name, _ in attrs)
        self.values.extend(value or "" for _, value in attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def shown(column: str, row: dict[str, str], names: dict[str, str] | None = None) -> Fragment:
    fragment = Fragment(str(cell(Report("r", names=names or {}), row, column)))
    assert fragment.tags <= TAGS, fragment.tags
    assert fragment.attributes <= ATTRIBUTES, fragment.attributes
    return fragment


@settings(max_examples=150)
@given(text=HOSTILE)
def test_free_text_and_ids_are_shown_as_text(text: str) -> None:
    for column in ("purpose", "key"):  # free text; an id in small type
        assert "".join(shown(column, {column: text}).text) == text


@settings(max_examples=150)
@given(ident=HOSTILE, name=HOSTILE)
def test_a_named_party_shows_its_name_and_id_as_text(ident: str, name: str) -> None:
    fragment = shown("donor", {"donor": ident}, {ident: name})
    assert "".join(fragment.text) == f"{name} {ident}"
    assert fragment.values == [f"id: {ident}", "id"]  # the title attribute holds the id whole
    unnamed = shown("donor", {"donor": ident})
    assert "".join(unnamed.text) == ident


@settings(max_examples=150)
@given(value=HOSTILE, currency=HOSTILE, stated=HOSTILE)
def test_an_amount_its_currency_and_stated_equivalents_are_shown_as_text(
    value: str, currency: str, stated: str
) -> None:
    row = {"value": value, "currency": currency, "equivalents": stated, "qualifier": "about"}
    amount = grouped(value)  # a decimal string gains separators; any other stays as it is
    assert "".join(shown("value", row).text) == f"about {amount} {currency}stated: {stated}"


@settings(max_examples=100)
@given(kind=HOSTILE)
def test_an_event_type_is_shown_as_text(kind: str) -> None:
    fragment = shown("type", {"type": kind})
    assert fragment.values == ["swatch", f"background:{svg.colour(kind)}"]
    assert "".join(fragment.text) == svg.label(kind)  # its reader's name (itself, if unknown)
