"""Writes the hostile-input corpus: one file per case, and EXPECTED.json (file -> what the
error must say). Run from the repository root: python tests/corpus/generate.py

Each file starts with a valid line where useful, so the refusal must name line 2. SQL and HTML
in *names* are valid text (stored and shown escaped); here they sit where they are invalid:
ids, keys, codes, types.
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).parent
OK = json.dumps(
    {
        "type": "OrganizationRegistered",
        "org": "corpus-ok",
        "name": "Corpus",
        "country": "UZ",
        "kind": "ngo",
    }
)
G = {
    "type": "GrantAgreementSigned",
    "grant": "corpus-g",
    "donor": "JP",
    "recipient": "moh-uz",
    "purpose": "Equipment",
    "occurred_on": "2025-03-01",
}
C = {
    "type": "ClinicPlanned",
    "project": "corpus-c",
    "name": "Clinic",
    "country": "UZ",
    "financing": "ppp",
    "occurred_on": "2025",
}
M = {
    "type": "MeetingHeld",
    "meeting": "corpus-m",
    "countries": ["JP", "UZ"],
    "occurred_on": "2025-01-01",
}
F = {
    "type": "EquipmentFunded",
    "grant": "ggp-spmc-pohi",
    "occurred_on": "2025",
    "items": [{"description": "Scanner"}],
}


def j(body: object) -> str:
    return json.dumps(body, ensure_ascii=False)


RAW: dict[str, tuple[bytes, str]] = {
    # malformed JSON
    "json-truncated": (b'{"type": "MeetingHeld", "meeting": ', "invalid JSON"),
    "json-trailing-comma": (b'{"type": "MeetingHeld",}', "invalid JSON"),
    "json-single-quotes": (b"{'type': 'MeetingHeld'}", "invalid JSON"),
    "json-unquoted-name": (b'{type: "MeetingHeld"}', "invalid JSON"),
    "json-bare-word": (b"MeetingHeld", "invalid JSON"),
    "json-two-objects": (b'{"type": "X"} {"type": "Y"}', "invalid JSON"),
    "json-array": (b'[{"type": "MeetingHeld"}]', "expected a JSON object, got an array"),
    "json-string": (b'"MeetingHeld"', "expected a JSON object, got a string"),
    "json-number": (b"42", "expected a JSON object, got a number"),
    "json-null": (b"null", "expected a JSON object, got null"),
    "json-nan": (b'{"type": "ClinicPlanned", "beds": NaN}', "NaN is not a number JSON allows"),
    "json-infinity": (b'{"type": "ClinicPlanned", "beds": Infinity}', "Infinity is not a number"),
    "json-duplicate-field": (
        b'{"type": "MeetingHeld", "type": "GrantAgreementSigned"}',
        "field 'type' appears twice",
    ),
    "json-empty-object": (b"{}", "type: missing event type"),
    # deep nesting
    "nested-arrays-100k": (b"[" * 100_000 + b"]" * 100_000, "nested"),
    "nested-objects-30": (
        b'{"type": "MeetingHeld", "note": ' + b'{"a": ' * 30 + b"1" + b"}" * 31,
        "nested deeper than 20 levels",
    ),
    # encodings
    "utf8-invalid-byte": (b'{"type": "MeetingHeld", "summary": "caf\xe9"}', "not valid UTF-8"),
    "utf8-truncated": (b'{"type": "MeetingHeld", "summary": "\xe6\x97"}', "not valid UTF-8"),
    "utf8-overlong": (b'{"type": "MeetingHeld", "summary": "\xc0\xaf"}', "not valid UTF-8"),
    "utf16": ('{"type": "MeetingHeld"}'.encode("utf-16"), "not valid UTF-8"),
    # huge numbers
    "huge-integer": (b'{"type": "ClinicPlanned", "beds": ' + b"9" * 5000 + b"}", "invalid JSON"),
}
FIRST_LINE = {"bom": (b"\xef\xbb\xbf" + OK.encode(), "byte-order mark")}

BODIES: dict[str, tuple[object, str]] = {
    # types and fields
    "type-unknown": ({"type": "GrantSigned"}, "did you mean GrantAgreementSigned"),
    "type-html": ({"type": "<script>alert(1)</script>"}, "unknown event type"),
    "type-not-string": ({"type": 7}, "missing event type"),
    "field-missing": ({k: v for k, v in G.items() if k != "purpose"}, "purpose: required"),
    "field-extra": (G | {"budget": "1"}, "budget: unknown field"),
    "activity-without-date": (
        {k: v for k, v in G.items() if k != "occurred_on"},
        "occurred_on: required",
    ),
    # wrong types
    "grant-id-number": (G | {"grant": 12}, 'grant: expected an id like "g-2026-01", got 12'),
    "countries-string": (
        M | {"countries": "JP,UZ"},
        'countries: expected a list like ["JP", "UZ"], got text',
    ),
    "beds-string": (C | {"beds": "800"}, "beds: expected a whole number like 800, got"),
    "beds-float": (C | {"beds": 800.5}, "beds: expected a whole number like 800, got"),
    "beds-negative": (C | {"beds": -1}, "beds: expected 1 or more"),
    "beds-zero": (C | {"beds": 0}, "beds: expected 1 or more"),
    "beds-huge": (C | {"beds": 10**30}, "beds: expected at most 100000"),
    "quantity-zero": (
        F | {"items": [{"description": "x", "quantity": 0}]},
        "items[0].quantity: expected 1 or more, got 0",
    ),
    "items-empty": (F | {"items": []}, "items: expected at least 1 item"),
    "participants-string": (
        M | {"participants": "moh-uz"},
        'participants: expected a list of ids like ["hatori-takashi"], got text',
    ),
    "sources-object": (
        G | {"sources": {"publisher": "x"}},
        "sources: expected a list of sources like [{",
    ),
    "date-number": (G | {"occurred_on": 2024}, "occurred_on: expected a date string"),
    "amount-string": (
        G | {"amount": "1000 JPY"},
        'amount: expected an amount like {"currency": "JPY", "value": "10000000"}, got text',
    ),
    "amount-float": (
        G | {"amount": {"value": 1000.5, "currency": "JPY"}},
        "amount.value: expected a decimal string",
    ),
    "amount-negative": (
        G | {"amount": {"value": "-1000", "currency": "JPY"}},
        "amount.value: expected a non-negative decimal",
    ),
    "amount-exponent": (
        G | {"amount": {"value": "1e9", "currency": "JPY"}},
        "amount.value: expected a non-negative decimal",
    ),
    "amount-40-digits": (
        G | {"amount": {"value": "9" * 40, "currency": "JPY"}},
        "amount.value: expected a non-negative decimal",
    ),
    # codes
    "currency-xxx": (
        G | {"amount": {"value": "1", "currency": "XXX"}},
        "amount.currency: unknown currency 'XXX'",
    ),
    "currency-xts": (
        G | {"amount": {"value": "1", "currency": "XTS"}},
        "amount.currency: unknown currency 'XTS'",
    ),
    "currency-sql": (
        G | {"amount": {"value": "1", "currency": "'; DROP TABLE x;--"}},
        "amount.currency: unknown currency",
    ),
    "country-unknown": (M | {"countries": ["JP", "QQ"]}, "countries[1]: unknown country 'QQ'"),
    "country-sql": (M | {"countries": ["JP' OR 1=1 --"]}, "countries[0]: unknown country"),
    "region-unknown": (C | {"region": "UZ-99"}, "region: unknown region 'UZ-99'"),
    "region-other-country": (C | {"region": "KZ-10"}, "region KZ-10 is not in country UZ"),
    "sector-short": (G | {"sector": "121"}, "sector: unknown sector '121'"),
    "sector-unknown-group": (G | {"sector": "99999"}, "sector: unknown sector '99999'"),
    "language-unknown": (
        G | {"sources": [{"publisher": "p", "title": "t", "language": "xx"}]},
        "sources[0].language: unknown language 'xx'",
    ),
    "url-javascript": (
        G | {"sources": [{"publisher": "p", "title": "t", "url": "javascript:alert(1)"}]},
        "sources[0].url: expected an http:// or https:// address",
    ),
    # dates
    "date-feb-30": (G | {"occurred_on": "2024-02-30"}, "no such day in the calendar"),
    "date-feb-29-non-leap": (G | {"occurred_on": "2023-02-29"}, "no such day in the calendar"),
    "date-month-13": (G | {"occurred_on": "2024-13"}, "no such day in the calendar"),
    "date-month-00": (G | {"occurred_on": "2024-00-10"}, "no such day in the calendar"),
    "date-words": (G | {"occurred_on": "yesterday"}, "invalid date 'yesterday'"),
    "date-slashes": (G | {"occurred_on": "2024/03/01"}, "invalid date '2024/03/01'"),
    "date-interval": (G | {"occurred_on": "2024/2025"}, "invalid date"),
    # ids and keys
    "id-sql": (
        {
            "type": "OrganizationRegistered",
            "org": "x'; DROP TABLE stored_events;--",
            "name": "n",
            "country": "UZ",
            "kind": "ngo",
        },
        "org: expected a lowercase id",
    ),
    "id-html": (M | {"meeting": "<b>m</b>"}, "meeting: expected a lowercase id"),
    "id-uppercase": (G | {"grant": "Grant-1"}, "grant: expected a lowercase id"),
    "id-too-long": (G | {"grant": "g" * 65}, "grant: expected at most 64 characters"),
    "key-html": (G | {"key": "<script>alert(1)</script>"}, "key: expected a key of letters"),
    "key-spaces": (G | {"key": "my key"}, "key: expected a key of letters"),
    # text
    "name-nul": (
        {
            "type": "OrganizationRegistered",
            "org": "nul",
            "name": "A\u0000B",
            "country": "UZ",
            "kind": "ngo",
        },
        "name: control characters",
    ),
    "name-bell": (
        {
            "type": "OrganizationRegistered",
            "org": "bell",
            "name": "A\u0007B",
            "country": "UZ",
            "kind": "ngo",
        },
        "name: control characters",
    ),
    "name-newline": (
        {
            "type": "OrganizationRegistered",
            "org": "nl",
            "name": "A\nB",
            "country": "UZ",
            "kind": "ngo",
        },
        "name: control characters",
    ),
    "purpose-escape": (G | {"purpose": "x\u001b[31mred"}, "purpose: control characters"),
    "name-empty": (
        {
            "type": "OrganizationRegistered",
            "org": "e",
            "name": "   ",
            "country": "UZ",
            "kind": "ngo",
        },
        "name: must not be empty",
    ),
    "name-10k": (
        {
            "type": "OrganizationRegistered",
            "org": "long",
            "name": "n" * 10_000,
            "country": "UZ",
            "kind": "ngo",
        },
        "name: expected at most 300 characters",
    ),
    "purpose-5000": (G | {"purpose": "p" * 5000}, "purpose: expected at most 4000 characters"),
    "aliases-5000": (
        {
            "type": "OrganizationRegistered",
            "org": "many",
            "name": "M",
            "country": "UZ",
            "kind": "ngo",
            "aliases": ["a"] * 5000,
        },
        "aliases: expected at most 50 items, got 5000",
    ),
    # references and rules (the store holds the seed example)
    "ref-recipient": (G | {"recipient": "moh-uzb"}, "did you mean 'moh-uz'"),
    "ref-participant": (M | {"participants": ["takashi-hatori"]}, "did you mean 'hatori-takashi'"),
    "ref-programme": (G | {"programme": "ggp"}, "programme: unknown programme 'ggp'"),
    "ref-grant": (F | {"grant": "no-such-grant"}, "grant: unknown grant 'no-such-grant'"),
    "ref-parent": (
        {
            "type": "OrganizationRegistered",
            "org": "child",
            "name": "C",
            "country": "UZ",
            "kind": "ngo",
            "parent": "nobody",
        },
        "parent: unknown organization 'nobody'",
    ),
    "grant-signed-twice": (G | {"grant": "ggp-spmc-pohi"}, "is already signed"),
    "org-registered-twice": (
        {
            "type": "OrganizationRegistered",
            "org": "moh-uz",
            "name": "Other",
            "country": "UZ",
            "kind": "ministry",
        },
        "is already registered",
    ),
    "milestone-out-of-order": (
        {
            "type": "ProjectMilestoneReached",
            "project": "samarkand-clinic-800",
            "milestone": "opened",
            "occurred_on": "2026",
        },
        "cannot become opened",
    ),
    "key-reused-other-content": (
        G | {"key": "uza-676233/meeting"},
        "already recorded with different content",
    ),
    "retract-unknown": (
        {"type": "EventRetracted", "target": "no-such-key", "reason": "r"},
        "no event with key 'no-such-key'",
    ),
    "correct-unknown-field": (
        {
            "type": "EventCorrected",
            "target": "uza-676233/meeting",
            "changes": {"colour": "red"},
            "reason": "r",
        },
        "has no field 'colour'",
    ),
    "correct-invalid-value": (
        {
            "type": "EventCorrected",
            "target": "uza-676233/meeting",
            "changes": {"countries": ["QQ"]},
            "reason": "r",
        },
        "would be invalid",
    ),
}
SAME_FILE_CONFLICT = [G | {"key": "dup"}, G | {"key": "dup", "purpose": "Other"}]


def main() -> None:
    expected: dict[str, str] = {}
    for name, (line, message) in RAW.items():
        (HERE / f"{name}.jsonl").write_bytes(OK.encode() + b"\n" + line + b"\n")
        expected[f"{name}.jsonl"] = message
    for name, (data, message) in FIRST_LINE.items():
        (HERE / f"{name}.jsonl").write_bytes(data + b"\n")
        expected[f"{name}.jsonl"] = message
    for name, (body, message) in BODIES.items():
        (HERE / f"{name}.jsonl").write_text(OK + "\n" + j(body) + "\n", encoding="utf-8")
        expected[f"{name}.jsonl"] = message
    (HERE / "key-conflict-in-one-file.jsonl").write_text(
        "\n".join(j(b) for b in [json.loads(OK), *SAME_FILE_CONFLICT]) + "\n"
    )
    expected["key-conflict-in-one-file.jsonl"] = "already recorded with different content"
    (HERE / "EXPECTED.json").write_text(json.dumps(expected, indent=1, sort_keys=True) + "\n")
    print(f"{len(expected)} files")


if __name__ == "__main__":
    main()
