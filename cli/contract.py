"""The contract users rely on, as docs/contract.md: import format, values, catalog, exit codes.

Generated from the declarations (fields, descriptions, examples, references, validators, the
records each type acts on) and from the constants the code enforces, so the document cannot
drift from what diplo does: ``python -m diplo.cli.contract > docs/contract.md`` rewrites it, and
a test checks that the committed file is current.
"""

from __future__ import annotations

import inspect
import json
import re
import sys
from collections.abc import Iterator
from typing import Any

from diplo.cli.common import EXIT_INTEGRITY, EXIT_INVALID, EXIT_VIEWS_BEHIND
from diplo.events.declaration import Declaration, declarations
from diplo.events.envelope import Activity, Fact, Source
from diplo.events.errors import REPORTED
from diplo.events.jsonl import MAX_DEPTH, MAX_LINE_BYTES
from diplo.events.period import Period
from diplo.events.values import Money, PartialDate

ENVELOPE = ("key", "occurred_on", "sources", "reported_by", "recorded_by", "note")
EXIT_CODES = {
    0: "ok",
    EXIT_INVALID: "invalid input or a broken rule: nothing was written (every bad line is told)",
    2: "usage: an unknown command or option",
    EXIT_INTEGRITY: "integrity failure: the stored log was altered, or does not extend a "
    "checkpoint",
    EXIT_VIEWS_BEHIND: "recorded, but the views could not be updated: the events are in the "
    "ledger; `diplo views update` (or `rebuild`) catches up",
}
# Rules the domain keeps for the corrections family (domain/model/entity.py).
TARGET_RULES = (
    "`target` is the key of an event in the ledger (or earlier in the same import); a "
    "correction, retraction or corroboration itself cannot be the target.",
    "Once retracted stays retracted: a retracted event is neither corrected, retracted nor "
    "corroborated again.",
)
CORRECTION_RULES = (
    "`changes` may name only fields the target's type has, never its id, `type`, `key` or "
    "recorder, and the corrected event must be valid as its own type (null removes an "
    "optional field); references it introduces must be registered.",
)


def markdown() -> str:
    return "\n".join(_document()) + "\n"


def _document() -> Iterator[str]:
    yield "# The contract"
    yield ""
    yield (
        "Generated from the declarations of the event types: `python -m diplo.cli.contract > "
        "docs/contract.md` rewrites it. Do not edit by hand. The views are described in "
        "[views.md](views.md), the hash chain, checkpoints and proofs in [trust.md](trust.md)."
    )
    yield from _import_format()
    yield from _values()
    yield from _catalog()
    yield from _exit_codes()


def _import_format() -> Iterator[str]:
    yield "\n## Import format\n"
    yield (
        "`diplo import FILE…` reads JSON Lines: one event per line, a JSON object, UTF-8 "
        f"without a byte-order mark, at most {MAX_LINE_BYTES // (1 << 20)} MiB per line and "
        f"nested at most {MAX_DEPTH} levels deep; blank lines are skipped. `type` names the "
        "event type (see the catalog below); the other fields are the type's own and the "
        "envelope every event has:"
    )
    yield ""
    yield from _field_table(Fact, [name for name in ENVELOPE])
    yield ""
    yield (
        "`occurred_on` is required on activity events (every type below that says so). "
        "A repeated field name, `NaN`, a JSON number where text or an amount is expected, "
        "and an unknown field are refused."
    )
    yield ""
    yield (
        "**All or nothing.** An import is one transaction. The whole input is checked first "
        f"to last, and every bad line is reported (the first {REPORTED}, in file order, then "
        "`… and N more problems`) as `FILE:LINE: field: message`; then nothing is written "
        "and diplo exits 1. `--dry-run` checks the same and writes nothing either way. "
        "Checks include what only the ledger can tell: unregistered references (with the "
        "ids, names and aliases closest to what was written), repeats with other content, "
        "and the rules of each type."
    )
    yield ""
    yield (
        "**Idempotency.** An event's `key` names it: the same key with the same content is "
        "skipped; with other content it is refused. Without a key, the key is `sha256:` and "
        "a hash of the canonical content (which leaves out `key`, `recorded_by` and "
        "`reported_by`). A record already held (the same grant id, say) with the same content "
        "and new sources is recorded as a corroboration; with other content it is refused."
    )


def _values() -> Iterator[str]:
    yield "\n## Values\n"
    yield f"**Money** is an object. {_doc(Money)}\n"
    yield from _field_table(Money, list(Money.model_fields))
    yield ""
    yield f"**Dates** (`occurred_on`, `published_on`, …): {_doc(PartialDate)}\n"
    yield (
        f"**Periods** (`period`): an EDTF interval of two partial dates, `2019/2022` or "
        f"`2024-05/2024-09`. {_doc(Period)}\n"
    )
    yield "**Sources** are a list of objects, each:\n"
    yield from _field_table(Source, list(Source.model_fields))
    yield ""
    yield (
        "**Codes and ids.** Countries are ISO 3166-1 alpha-2 codes in upper case (`JP`), "
        "regions ISO 3166-2 (`UZ-SA`), currencies ISO 4217 (`JPY`; `XXX` and `XTS` name no "
        "money), languages ISO 639-1 in lower case (`en`), sectors OECD DAC CRS 5-digit purpose "
        "codes (`12191`). Codes are ASCII and matched exactly, never case-mapped (`jp` is "
        "refused with `did you mean 'JP'?`). Ids are lowercase slugs (`moh-uz`: a-z, 0-9, "
        "`-`), unique within their kind and stable forever. A donor, party or speaker is a "
        "country code or the id of a registered organisation (some fields also take a person). "
        "Amounts, quantities, dates and sectors take ASCII digits only. Text is NFC-normalised "
        "on input."
    )


def _catalog() -> Iterator[str]:
    yield "\n## Event catalog\n"
    yield "Every type, by family. `diplo schema TYPE` prints the same as JSON Schema.\n"
    family = ""
    for declaration in declarations().values():
        module = sys.modules[declaration.model.__module__]
        if module.__name__ != family:
            family = module.__name__
            yield f"### {_first_line(module.__doc__)}\n"
        yield from _type(declaration)


def _type(declaration: Declaration) -> Iterator[str]:
    model = declaration.model
    yield f"#### `{declaration.name}`\n"
    yield f"{_doc(model)}\n"
    own = [name for name in model.model_fields if name not in ENVELOPE and name != "type"]
    if issubclass(model, Activity):
        own.append("occurred_on")
    if declaration.name == "EventCorroborated":
        own.append("sources")
    yield from _field_table(model, own)
    yield ""
    rules = list(_rules(declaration))
    if rules:
        yield "Rules:\n"
        yield from (f"- {rule}" for rule in rules)
        yield ""
    yield "Example:\n"
    yield "```json"
    yield json.dumps(_example(model), ensure_ascii=False)
    yield "```\n"


def _rules(declaration: Declaration) -> Iterator[str]:
    from diplo.domain.model.routing import kind_name

    subject = f"`{declaration.subject}`"
    kind = " or ".join(kind_name(k) for k in declaration.records)
    if declaration.record == "target":
        yield from TARGET_RULES
        if declaration.name == "EventCorrected":
            yield from CORRECTION_RULES
    elif declaration.creates and declaration.subject != "key":
        yield (
            f"Records the {kind} {subject} once: a second one with the same {subject} and the "
            "same content only adds its new sources; with other content it is refused."
        )
    elif not declaration.creates:
        yield f"Acts on the {kind} named by {subject}, which must be recorded first."
    for name, info in declaration.model.model_fields.items():
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        kinds = [str(k) for k in extra.get("x-refers-to") or []]  # type: ignore[union-attr]
        if kinds and name != declaration.subject:
            told = [f"a registered {kind_name(k)}" for k in kinds if k != "country"]
            told = (["a country code"] if "country" in kinds else []) + told
            each = "each of " if _is_list(info.annotation) else ""
            yield f"{each}`{name}` is {' or '.join(told)}, not a retracted one."
    yield from _validator_rules(declaration.model)
    yield from _aggregate_rules(declaration)


def _is_list(annotation: Any) -> bool:
    return "list[" in str(annotation)


def _validator_rules(model: type[Fact]) -> Iterator[str]:
    for validator in model.__pydantic_decorators__.model_validators.values():
        doc = inspect.getdoc(validator.func)
        if doc:
            yield doc


def _aggregate_rules(declaration: Declaration) -> Iterator[str]:
    """What the record's own aggregate enforces, told by its module (grants, loans, projects)."""
    from diplo.domain.model.routing import KINDS

    aggregate = KINDS.get(declaration.record)
    module = sys.modules[aggregate.__module__] if aggregate else None
    if module is not None and module.__name__.rsplit(".", 1)[-1] in ("grant", "loan", "project"):
        text = " ".join(inspect.getdoc(module).split("\n\n")[0].split())  # type: ignore[union-attr]
        yield re.sub(r" \(domain\.[^)]*\)|; domain\.[a-z.]+", "", text)


def _exit_codes() -> Iterator[str]:
    yield "\n## Exit codes\n"
    yield "| code | meaning |"
    yield "|---|---|"
    for code, meaning in sorted(EXIT_CODES.items()):
        yield f"| {code} | {meaning} |"
    yield ""
    yield (
        "Every refusal names its place: `events.jsonl:12: amount.value: expected a decimal "
        'string such as "1.5", not a JSON number (numbers may lose precision)`.'
    )


def _field_table(model: type[Any], names: list[str]) -> Iterator[str]:
    schema = model.model_json_schema()
    properties, required = schema["properties"], set(schema.get("required", []))
    if issubclass(model, Activity):
        required.add("occurred_on")
    yield "| field | | meaning | example |"
    yield "|---|---|---|---|"
    for name in names:
        prop = properties[name]
        need = "required" if name in required else "optional"
        meaning = prop["description"] + _choices(prop, schema.get("$defs", {}))
        example = json.dumps(prop["examples"][0], ensure_ascii=False)
        yield f"| `{name}` | {need} | {_cell(meaning)} | `{_cell(example)}` |"


def _choices(prop: dict[str, Any], defs: dict[str, Any]) -> str:
    """`` One of: `a`, `b`.`` for a field whose values are a fixed list."""
    options = [o for o in prop.get("anyOf", [prop]) if o.get("type") != "null"]
    chosen = options[0] if options else prop
    if "$ref" in chosen:
        chosen = defs.get(chosen["$ref"].rsplit("/", 1)[-1], {})
    values = chosen.get("enum")
    return f" One of: {', '.join(f'`{v}`' for v in values)}." if values else ""


def _example(model: type[Fact]) -> dict[str, Any]:
    """One import line: the type's required fields, then when it happened and its source."""
    schema = model.model_json_schema()
    properties = schema["properties"]
    body: dict[str, Any] = {"type": properties["type"]["const"]}
    required = schema.get("required", [])
    wanted = [n for n in properties if n in required and n not in (*ENVELOPE, "type")]
    wanted += ["occurred_on"] if issubclass(model, Activity) else []
    for name in dict.fromkeys([*wanted, "sources"]):
        body[name] = properties[name]["examples"][0]
    return body


def _doc(thing: Any) -> str:
    return " ".join((inspect.getdoc(thing) or "").split("\n\n")[0].split()).replace("``", "`")


def _first_line(text: str | None) -> str:
    return (text or "").strip().split("\n")[0].rstrip(".")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


if __name__ == "__main__":
    print(markdown(), end="")
