"""docs/contract.md is the contract users rely on, generated from the declarations: current,
complete, and every example in it is an event diplo accepts."""

from __future__ import annotations

import json
import re
from pathlib import Path

from diplo.cli import common
from diplo.cli.contract import EXIT_CODES, markdown
from diplo.events.catalog import parse_fact
from diplo.events.declaration import declarations

DOCS = Path(__file__).parents[1] / "docs"


def test_the_committed_contract_is_the_generated_one() -> None:
    committed = (DOCS / "contract.md").read_text()
    assert markdown() == committed, "regenerate: python -m diplo.cli.contract > docs/contract.md"


def test_every_type_and_every_field_is_in_the_contract() -> None:
    text = markdown()
    for name, declaration in declarations().items():
        assert f"#### `{name}`" in text
        section = text.split(f"#### `{name}`")[1].split("#### ")[0]
        for field, info in declaration.model.model_fields.items():
            if field in ("type", "key", "recorded_by", "reported_by", "note"):
                continue
            if field in ("occurred_on", "sources") and f"| `{field}` |" not in section:
                continue  # the envelope's, described once under the import format
            assert f"| `{field}` |" in section
            assert str(info.description).split(".")[0] in section


def test_every_example_line_in_the_contract_is_accepted() -> None:
    lines = re.findall(r"```json\n(.*?)\n```", markdown())
    assert len(lines) == len(declarations())
    for line in lines:
        body = json.loads(line)
        assert parse_fact(body).type == body["type"]


def test_the_exit_codes_told_are_the_ones_the_cli_uses() -> None:
    assert EXIT_CODES[common.EXIT_INVALID].startswith("invalid input")
    assert EXIT_CODES[common.EXIT_INTEGRITY].startswith("integrity failure")
    assert EXIT_CODES[common.EXIT_VIEWS_BEHIND].startswith("recorded, but")
    assert sorted(EXIT_CODES) == [0, 1, 2, 3, 4]
