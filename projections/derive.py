"""Pure functions from one event (its current JSON data) to the view rows it stands for.

Every row carries the event's ``key``, so a correction or retraction replaces exactly the rows
of its target. Nothing here reads or writes a database.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations
from typing import Any

from diplo.domain.model.describe import Directory, summarize
from diplo.events.values import PartialDate

Data = dict[str, Any]
Rows = dict[str, list[Data]]


@dataclass(frozen=True)
class Meta:
    """Where the event stands in the log, and its status after corrections."""

    key: str
    position: int
    recorded_at: str
    status: str = "active"


def derive(data: Data, meta: Meta, directory: Directory) -> Rows:
    """All view rows of one event."""
    rows: Rows = {}
    handler = HANDLERS.get(data["type"])
    if handler is not None:
        handler(data, meta, directory, rows)
    if "occurred_on" in data and data["type"] not in REGISTRY:
        _timeline(data, meta, directory, rows)
    _sources(data, meta, rows)
    return rows


REGISTRY = {"OrganizationRegistered", "PersonRegistered", "ProgrammeRegistered"}


def _add(rows: Rows, table: str, row: Data) -> None:
    rows.setdefault(table, []).append(row)


def _joined(values: list[str] | None, sep: str = ",") -> str:
    return sep.join(values or [])


def pair_of(a: str | None, b: str | None) -> str | None:
    return "-".join(sorted((a, b))) if a and b and a != b else None


@lru_cache(maxsize=65536)
def bounds(text: str) -> tuple[str, str, int]:
    """Earliest and latest ISO day of a partial date, and whether it is uncertain."""
    when = PartialDate(text)
    return when.earliest.isoformat(), when.latest.isoformat(), int(when.uncertain)


def _pairs(rows: Rows, kind: str, pairs: set[str], data: Data, meta: Meta) -> None:
    earliest, latest, _ = bounds(data["occurred_on"])
    for pair in sorted(pairs):
        _add(
            rows,
            "_pairs",
            {
                "key": meta.key,
                "pair": pair,
                "kind": kind,
                "occurred_on": data["occurred_on"],
                "earliest": earliest,
                "latest": latest,
                "status": meta.status,
            },
        )


def _among(countries: list[str]) -> set[str]:
    return {"-".join(p) for p in combinations(sorted(set(countries)), 2)}


def _organization(d: Data, m: Meta, _: Directory, rows: Rows) -> None:
    _add(
        rows,
        "organizations",
        {
            "org": d["org"],
            "name": d["name"],
            "country": d["country"],
            "kind": d["kind"],
            "aliases": _joined(d.get("aliases"), "; "),
            "parent": d.get("parent"),
            "status": m.status,
            "key": m.key,
        },
    )


def _person(d: Data, m: Meta, _: Directory, rows: Rows) -> None:
    _add(
        rows,
        "people",
        {
            "person": d["person"],
            "name": d["name"],
            "aliases": _joined(d.get("aliases"), "; "),
            "country": d.get("country"),
            "title": None,
            "org": None,
            "status": m.status,
            "key": m.key,
        },
    )


def _appointment(d: Data, m: Meta, _: Directory, rows: Rows) -> None:
    _add(
        rows,
        "appointments",
        {
            "key": m.key,
            "person": d["person"],
            "org": d["org"],
            "title": d["title"],
            "occurred_on": d.get("occurred_on"),
            "position": m.position,
            "status": m.status,
        },
    )


def _programme(d: Data, m: Meta, _: Directory, rows: Rows) -> None:
    _add(
        rows,
        "programmes",
        {
            "programme": d["programme"],
            "name": d["name"],
            "donor": d["donor"],
            "aliases": _joined(d.get("aliases"), "; "),
            "sector": d.get("sector"),
            "status": m.status,
            "key": m.key,
        },
    )


def _meeting(d: Data, m: Meta, _: Directory, rows: Rows) -> None:
    _add(
        rows,
        "meetings",
        {
            "meeting": d["meeting"],
            "occurred_on": d["occurred_on"],
            "countries": _joined(d["countries"]),
            "participants": _joined(d.get("participants")),
            "place": d.get("place"),
            "topics": _joined(d.get("topics"), "; "),
            "summary": d.get("summary"),
            "status": m.status,
            "key": m.key,
        },
    )
    _pairs(rows, "meetings", _among(d["countries"]), d, m)


def _grant(d: Data, m: Meta, directory: Directory, rows: Rows) -> None:
    donor, recipient = directory.country_of(d["donor"]), directory.country_of(d["recipient"])
    pair = pair_of(donor, recipient)
    amount = d.get("amount") or {}
    _add(
        rows,
        "grants",
        {
            "grant": d["grant"],
            "donor": d["donor"],
            "donor_country": donor,
            "recipient": d["recipient"],
            "recipient_country": recipient,
            "pair": pair,
            "programme": d.get("programme"),
            "purpose": d["purpose"],
            "signed_on": d["occurred_on"],
            "value": amount.get("value"),
            "currency": amount.get("currency"),
            "sector": d.get("sector"),
            "meeting": d.get("meeting"),
            "status": m.status,
            "key": m.key,
        },
    )
    _pairs(rows, "grants", {pair} if pair else set(), d, m)


def _items(d: Data, m: Meta, directory: Directory, rows: Rows, **ids: Any) -> None:
    status = "retracted" if m.status == "retracted" else ids.pop("status")
    for number, item in enumerate(d["items"], 1):
        value = item.get("value") or {}
        _add(
            rows,
            "funded_equipment",
            {
                "item": f"{m.key}#{number}",
                "description": item["description"],
                "quantity": item.get("quantity"),
                "value": value.get("value"),
                "currency": value.get("currency"),
                "status": status,
                "on": d["occurred_on"],
                "delivered_on": None,
                "key": m.key,
                **ids,
            },
        )


def _funded(d: Data, m: Meta, directory: Directory, rows: Rows) -> None:
    # Donor and recipient are the grant's: filled in when the grant row is known (refresh).
    _items(
        d,
        m,
        directory,
        rows,
        source="grant",
        grant=d["grant"],
        delivery=None,
        donor=None,
        recipient=None,
        recipient_country=None,
        status="funded",
    )


def _delivered(d: Data, m: Meta, directory: Directory, rows: Rows) -> None:
    donor, recipient = directory.country_of(d["donor"]), directory.country_of(d["recipient"])
    pair = pair_of(donor, recipient)
    _add(
        rows,
        "deliveries",
        {
            "delivery": d["delivery"],
            "donor": d["donor"],
            "recipient": d["recipient"],
            "pair": pair,
            "grant": d.get("grant"),
            "region": d.get("region"),
            "items": len(d["items"]),
            "occurred_on": d["occurred_on"],
            "status": m.status,
            "key": m.key,
        },
    )
    _items(
        d,
        m,
        directory,
        rows,
        source="delivery",
        grant=d.get("grant"),
        delivery=d["delivery"],
        donor=d["donor"],
        recipient=d["recipient"],
        recipient_country=recipient,
        status="delivered",
    )
    _pairs(rows, "deliveries", {pair} if pair else set(), d, m)


def _clinic(d: Data, m: Meta, directory: Directory, rows: Rows) -> None:
    _add(
        rows,
        "projects",
        {
            "project": d["project"],
            "name": d["name"],
            "country": d["country"],
            "region": d.get("region"),
            "city": d.get("city"),
            "beds": d.get("beds"),
            "partners": _joined(d.get("partners")),
            "financing": d["financing"],
            "status": "retracted" if m.status == "retracted" else "planned",
            "planned_start": d.get("planned_start"),
            "planned_on": d["occurred_on"],
            "key": m.key,
        },
    )
    partners = {directory.country_of(p) for p in d.get("partners", [])}
    pairs = {pair_of(d["country"], c) for c in partners}
    _pairs(rows, "projects", {p for p in pairs if p}, d, m)


def _milestone(d: Data, m: Meta, _: Directory, rows: Rows) -> None:
    _add(
        rows,
        "milestones",
        {
            "key": m.key,
            "project": d["project"],
            "milestone": d["milestone"],
            "occurred_on": d["occurred_on"],
            "position": m.position,
            "status": m.status,
        },
    )


def _cooperation(d: Data, m: Meta, directory: Directory, rows: Rows) -> None:
    _add(
        rows,
        "cooperations",
        {
            "cooperation": d["cooperation"],
            "parties": _joined(d["parties"]),
            "field": d["field"],
            "description": d.get("description"),
            "occurred_on": d["occurred_on"],
            "status": m.status,
            "key": m.key,
        },
    )
    countries = [c for c in map(directory.country_of, d["parties"]) if c]
    _pairs(rows, "cooperations", _among(countries), d, m)


def _commitment(d: Data, m: Meta, _: Directory, rows: Rows) -> None:
    _add(
        rows,
        "commitments",
        {
            "key": m.key,
            "by": d["by"],
            "statement": d["statement"],
            "meeting": d.get("meeting"),
            "occurred_on": d["occurred_on"],
            "status": m.status,
        },
    )


def _timeline(d: Data, m: Meta, directory: Directory, rows: Rows) -> None:
    earliest, latest, uncertain = bounds(d["occurred_on"])
    _add(
        rows,
        "timeline",
        {
            "key": m.key,
            "position": m.position,
            "occurred_on": d["occurred_on"],
            "earliest": earliest,
            "latest": latest,
            "uncertain": uncertain,
            "type": d["type"],
            "summary": summarize(d, directory),
            "countries": _joined(directory.countries_in(d)),
            "recorded_at": m.recorded_at,
            "status": m.status,
        },
    )


def _sources(d: Data, m: Meta, rows: Rows) -> None:
    """Provenance, one row per cited source: reports count distinct publishers from it."""
    for n, source in enumerate(d.get("sources") or [], start=1):
        _add(rows, "sources", {"key": m.key, "n": n, **source, "status": m.status})


HANDLERS: dict[str, Callable[[Data, Meta, Directory, Rows], None]] = {
    "OrganizationRegistered": _organization,
    "PersonRegistered": _person,
    "PersonAppointed": _appointment,
    "ProgrammeRegistered": _programme,
    "MeetingHeld": _meeting,
    "GrantAgreementSigned": _grant,
    "EquipmentFunded": _funded,
    "EquipmentDelivered": _delivered,
    "ClinicPlanned": _clinic,
    "ProjectMilestoneReached": _milestone,
    "CooperationEstablished": _cooperation,
    "CommitmentStated": _commitment,
}
