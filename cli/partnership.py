"""A short printed summary of one partnership, read straight from the log."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from cli.common import console
from domain.describe import Directory, summarize
from events.catalog import canonical_dict

if TYPE_CHECKING:
    from domain.ledger import Ledger

LABELS = {
    "MeetingHeld": "meetings", "GrantAgreementSigned": "grants signed",
    "EquipmentFunded": "equipment fundings", "EquipmentDelivered": "deliveries",
    "ClinicPlanned": "projects planned", "CooperationEstablished": "cooperations",
    "CommitmentStated": "commitments",
}


def print_partnership(ledger: Ledger, a: str, b: str) -> None:
    from rich.table import Table

    directory, counts, lines = Directory(), Counter[str](), []
    for stored in ledger.read():
        data = canonical_dict(stored.fact)
        directory.learn(data)
        if stored.fact.type in LABELS and {a, b} <= set(directory.countries_in(data)):
            counts[stored.fact.type] += 1
            lines.append((str(stored.fact.occurred_on), summarize(data, directory)))
    table = Table("activity", "count", title=f"Partnership {a}–{b}")
    for type_name, label in LABELS.items():
        table.add_row(label, str(counts[type_name]))
    console.print(table)
    for when, line in lines:
        console.print(f"  {when:<10} {line}", markup=False)
