"""Statements: what one side said about another (quotes, press releases, communiqués, speeches).

A statement by one side about the other belongs to that pair's dossier.
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field

from diplo.events.declaration import Codes, Data, Meta, Rows, Table, declare
from diplo.events.envelope import Activity, described, refers_to
from diplo.events.rows import KEY, STATUS, add, count_in_pairs, joined, pair_of
from diplo.events.values import Party, Slug, Text

if TYPE_CHECKING:
    from diplo.events.directory import Directory

ORDER = 23


class StatementKind(str, Enum):
    quote = "quote"
    press_release = "press-release"
    communique = "communique"
    speech = "speech"


class StatementMade(Activity):
    """A party said something about other countries or organisations."""

    type: Literal["StatementMade"] = "StatementMade"
    statement: Slug = described("The statement's id: a lowercase slug.", "mofa-jp-2025-03")
    by: Party = refers_to(
        "country",
        "org",
        "person",
        description="Who said it: a country code, an organisation id or a person id.",
        examples=["hatori-takashi"],
    )
    about: Annotated[list[Party], Field(min_length=1, max_length=50)] = refers_to(
        "country",
        "org",
        description="The countries or organisations it is about (at least one).",
        examples=[["UZ"]],
    )
    text: Text = described("What was said.", "Japan values its partnership with Uzbekistan.")
    kind: StatementKind = described("The kind of statement.", "press-release")


STATEMENTS = Table(
    "statements",
    "Statements made by one side about others: quotes, press releases, communiqués, speeches.",
    {
        "statement": "statement id",
        "by": "who said it (country, org or person id)",
        "by_country": "the speaker's country",
        "about": "whom it is about, comma-separated",
        "pairs": "country pairs (speaker's country with each one it is about), comma-separated",
        "text": "what was said, as published",
        "kind": "quote, press-release, communique or speech",
        "occurred_on": "date",
        "status": STATUS,
        "key": KEY,
    },
)


def _statement(d: Data, m: Meta, directory: Directory) -> Rows:
    speaker = directory.country_of(d["by"])
    pairs = {pair_of(speaker, directory.country_of(a)) for a in d["about"]} - {None}
    rows: Rows = {}
    add(
        rows,
        "statements",
        {
            "statement": d["statement"],
            "by": d["by"],
            "by_country": speaker,
            "about": joined(d["about"]),
            "pairs": joined(sorted(p for p in pairs if p)),
            "text": d["text"],
            "kind": d["kind"],
            "occurred_on": d["occurred_on"],
            "status": m.status,
            "key": m.key,
        },
    )
    count_in_pairs(rows, "statements", {p for p in pairs if p}, d, m)
    return rows


declare(
    StatementMade,
    record="statement",
    subject="statement",
    verb="recorded as made",
    parties=("by", "about"),
    summary=lambda d, n: f"{n(d['by'])} ({d['kind']}): {d['text']}",
    rows=_statement,
    tables=(STATEMENTS,),
    pair_kind=("statements", "statements made by one about the other"),
    codes=Codes(cameo="010"),
)
