"""Identifiers diplo gives its records in the field's standards (IATI activity identifiers).

One function makes them, for the IATI export and for the views' ``iati_identifier`` column, so
a row in Datasette and an activity in the XML always carry the same identifier. Ids of grants,
loans and projects never change, so neither does the identifier made from them.
"""

from __future__ import annotations


def iati_identifier(reporting_org: str, kind: str, record_id: str) -> str:
    """``{reporting-org}-{kind}-{id}``: starts with the reporting org (IATI rule 1.1.21)."""
    return f"{reporting_org}-{kind}-{record_id}"


def ledger_reporting_org(ledger_id: str) -> str:
    """The ledger's own organisation identifier, when no ``--reporting-org`` is given: stable
    for the ledger, but registered with no agency (``XX``), so a publisher gives its own."""
    return f"XX-DIPLO-{ledger_id.replace('-', '')[:12].upper()}"
