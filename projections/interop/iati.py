"""IATI 2.03 activity XML: one ``iati-activity`` per grant, loan or project.

What each element says, and why:

- diplo compiles what others report, so it is a *secondary reporter* of every activity.
- The donor (lender) is the funding organisation (role 1) and the provider of transactions;
  co-financiers fund too. A recipient government or ministry is accountable (role 2), any other
  recipient implements (role 4).
- Transactions and finance types come from the declarations (grant: commitment 2, finance 110;
  loan: commitment 2, finance 421; disbursement 3), each with its own currency and value date.
  An "up to" or "about" amount says so in the transaction's description.
- IATI dates are days: a partial date (``2025``, ``2024-03~``) is written as its earliest day
  with a narrative giving the date as recorded, so nothing pretends to be more precise.
- A sector not stated is CRS 99810 "Sectors not specified", never a guess.
- Each source with a URL is a ``document-link`` (category A12, activity web page).
- Dates of update are the ledger's own (when the events were recorded), so exporting the same
  ledger twice gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import BinaryIO
from xml.etree.ElementTree import Element, SubElement, indent, tostring

import pycountry

from diplo.events.declaration import Data
from diplo.events.identifiers import ledger_reporting_org
from diplo.events.values import PartialDate
from diplo.projections.interop.activities import Activity, Gathered
from diplo.projections.interop.current import Current

LANGUAGE = "en"
NOT_SPECIFIED = "99810"  # CRS: sectors not specified
ORG_TYPES = {"government": "10", "ministry": "10", "embassy": "10", "agency": "15",
             "company": "70", "university": "80", "other": "90"}  # fmt: skip
ACCOUNTABLE_KINDS = {"government", "ministry", "embassy"}
TIED = {"tied": "4", "untied": "5", "partially-tied": "3"}
MILESTONE_STATUS = {"construction-started": "2", "opened": "3", "completed": "4",
                    "suspended": "6", "cancelled": "5"}  # fmt: skip
SIDES = {"grant": ("donor", "recipient"), "loan": ("lender", "borrower")}


@dataclass(frozen=True)
class ReportingOrg:
    ref: str
    name: str
    type: str = "90"  # other: a ledger of reports is none of the publisher kinds IATI lists


def iati_document(gathered: Gathered, org: ReportingOrg) -> Element:
    """The ``iati-activities`` element of every activity gathered."""
    root = _root(gathered)
    writer = _Writer(gathered.parties, org)
    for activity in gathered.activities:
        root.append(writer.activity(activity))
    return root


def _root(gathered: Gathered) -> Element:
    root = Element("iati-activities", {"version": "2.03"})
    if gathered.generated:
        root.set("generated-datetime", gathered.generated)
    return root


class _Writer:
    def __init__(self, parties: Mapping[str, Data], org: ReportingOrg) -> None:
        self.parties, self.org = parties, org

    def activity(self, activity: Activity) -> Element:
        data = activity.opening.data
        element = Element("iati-activity", _activity_attributes(activity))
        _text(element, "iati-identifier", activity.identifier(self.org.ref))
        reporting = SubElement(element, "reporting-org", ref=self.org.ref, type=self.org.type)
        reporting.set("secondary-reporter", "1")
        _narrative(reporting, self.org.name)
        _narrative(SubElement(element, "title"), data.get("purpose") or data.get("name") or "")
        description = SubElement(element, "description", type="1")
        _narrative(description, _description(activity))
        for role, party in self._participants(activity):
            self._org(element, "participating-org", party).set("role", role)
        SubElement(element, "activity-status", code=_status(activity))
        for date_type, when, note in _dates(activity):
            _date(element, "activity-date", when, note).set("type", date_type)
        country = self._recipient_country(activity)
        if country:
            SubElement(element, "recipient-country", code=country)
        _sector(element, data.get("sector"))
        codes = activity.opening.declaration.codes
        if codes.iati_finance_type:
            SubElement(element, "default-finance-type", code=codes.iati_finance_type)
        tied = (data.get("terms") or {}).get("tied")
        if tied:
            SubElement(element, "default-tied-status", code=TIED[tied])
        for event in activity.events:
            self._transaction(element, activity, event)
        _document_links(element, activity.events)
        return element

    def _participants(self, activity: Activity) -> list[tuple[str, str]]:
        data = activity.opening.data
        if activity.kind == "project":
            partners = data.get("partners") or []
            return [("4", p) for p in partners] or [("2", data["country"])]
        giver, taker = SIDES[activity.kind]
        funders = [data[giver], *(data.get("cofinanciers") or [])]
        return [("1", p) for p in funders] + [(self._taker_role(data[taker]), data[taker])]

    def _taker_role(self, party: str) -> str:
        kind = self.parties.get(party, {}).get("kind")
        return "2" if _is_country(party) or kind in ACCOUNTABLE_KINDS else "4"

    def _org(self, parent: Element, tag: str, party: str) -> Element:
        element = SubElement(parent, tag)
        registered = self.parties.get(party)
        kind_type = (
            "10" if _is_country(party) else ORG_TYPES.get((registered or {}).get("kind", ""))
        )
        if kind_type:
            element.set("type", kind_type)
        if _is_country(party):
            element.set("ref", party)  # as donors do for a country (DFID: ref="GB")
        _narrative(element, self._name(party))
        return element

    def _name(self, party: str) -> str:
        if _is_country(party):
            country = pycountry.countries.get(alpha_2=party)
            return country.name if country else party
        return str(self.parties.get(party, {}).get("name", party))

    def _country(self, party: str | None) -> str | None:
        if party is None:
            return None
        return party if _is_country(party) else self.parties.get(party, {}).get("country")

    def _recipient_country(self, activity: Activity) -> str | None:
        data = activity.opening.data
        if activity.kind == "project":
            return str(data["country"])
        return self._country(data[SIDES[activity.kind][1]])

    def _transaction(self, parent: Element, activity: Activity, event: Current) -> None:
        code = event.declaration.codes.iati_transaction_type
        amount = event.data.get("amount")
        if not code or not amount or activity.kind == "project":
            return
        element = SubElement(parent, "transaction", ref=event.meta.key)
        SubElement(element, "transaction-type", code=code)
        day, _ = _day(event.data["occurred_on"])
        SubElement(element, "transaction-date", {"iso-date": day})
        value = SubElement(element, "value", {"currency": amount["currency"], "value-date": day})
        value.text = amount["value"]
        note = _transaction_note(event.data)
        if note:
            _narrative(SubElement(element, "description"), note)
        giver, taker = (activity.opening.data[side] for side in SIDES[activity.kind])
        self._org(element, "provider-org", giver)
        self._org(element, "receiver-org", event.data.get("to") or taker)


def _is_country(party: str) -> bool:
    return len(party) == 2 and party.isupper()


def _activity_attributes(activity: Activity) -> dict[str, str]:
    attributes = {
        "{http://www.w3.org/XML/1998/namespace}lang": LANGUAGE,
        "last-updated-datetime": max(e.meta.recorded_at for e in activity.events),
    }
    amount = activity.opening.data.get("amount")
    if amount:
        attributes["default-currency"] = amount["currency"]
    return attributes


def _description(activity: Activity) -> str:
    data = activity.opening.data
    parts = [data.get("purpose") or data.get("name") or activity.id]
    for event in activity.later:
        for item in event.data.get("items") or []:
            parts.append(f"Funds: {item['description']}")
    return ". ".join(parts)


def _status(activity: Activity) -> str:
    status = "1" if activity.kind == "project" else "2"
    for event in activity.later:
        status = MILESTONE_STATUS.get(event.data.get("milestone", ""), status)
    return status


def _dates(activity: Activity) -> list[tuple[str, str, str | None]]:
    """(IATI date type, the recorded date, a narrative) for each date the activity has."""
    data = activity.opening.data
    if activity.kind != "project":
        # An actual start may not lie in the future (IATI rule 11.1.4): then it is planned.
        started = _day(data["occurred_on"])[0] <= date.today().isoformat()
        return [("2" if started else "1", data["occurred_on"], "signed")]
    found: list[tuple[str, str, str | None]] = []
    if data.get("planned_start"):
        found.append(("1", data["planned_start"], "planned start"))
    for event in activity.later:
        milestone = event.data.get("milestone")
        if milestone == "construction-started":
            found.append(("2", event.data["occurred_on"], "construction started"))
        elif milestone in ("opened", "completed") and not any(f[0] == "4" for f in found):
            found.append(("4", event.data["occurred_on"], milestone))
    if not any(f[0] in ("1", "2") for f in found):
        found.append(("1", data["occurred_on"], "the date the plan was reported"))
    return found


def _day(text: str) -> tuple[str, bool]:
    """The earliest day a partial date stands for, and whether it is exactly that day."""
    when = PartialDate(text)
    return when.earliest.isoformat(), when.precision == "day" and not when.uncertain


def _date(parent: Element, tag: str, text: str, note: str | None) -> Element:
    day, exact = _day(text)
    element = SubElement(parent, tag, {"iso-date": day})
    said = [note] if note else []
    if not exact:
        said.append(f"date as recorded: {text}")
    if said:
        _narrative(element, "; ".join(said))
    return element


def _sector(parent: Element, code: str | None) -> None:
    element = SubElement(parent, "sector", vocabulary="1", code=code or NOT_SPECIFIED)
    if not code:
        _narrative(element, "Sector not stated in the ledger")


def _transaction_note(data: Data) -> str | None:
    qualifier = data["amount"].get("qualifier")
    said = {"up-to": "up to this amount (a ceiling)", "about": "about this amount"}
    parts = [said[qualifier]] if qualifier else []
    if not _day(data["occurred_on"])[1]:
        parts.append(f"date as recorded: {data['occurred_on']}")
    return "; ".join(parts) or None


def _document_links(parent: Element, events: Iterable[Current]) -> None:
    seen: set[str] = set()
    for event in events:
        for source in event.data.get("sources") or []:
            url = source.get("url")
            if not url or url in seen:
                continue
            seen.add(url)
            link = SubElement(parent, "document-link", url=url, format="text/html")
            _narrative(SubElement(link, "title"), source["title"])
            SubElement(link, "category", code="A12")
            if source.get("language"):
                SubElement(link, "language", code=source["language"])
            if source.get("published_on"):
                SubElement(link, "document-date", {"iso-date": _day(source["published_on"])[0]})


def _text(parent: Element, tag: str, text: str) -> Element:
    element = SubElement(parent, tag)
    element.text = text
    return element


def _narrative(parent: Element, text: str) -> None:
    _text(parent, "narrative", text)


def write_iati(gathered: Gathered, org: ReportingOrg, stream: BinaryIO) -> None:
    """The document as UTF-8 XML, indented for a reader: the bytes ``iati_document`` written
    whole would give, an activity at a time (an export never holds the whole tree)."""
    root = _root(gathered)
    head = tostring(root, encoding="unicode")  # <iati-activities … />
    stream.write(b"<?xml version='1.0' encoding='utf-8'?>\n")
    writer = _Writer(gathered.parties, org)
    opening, written = head[: -len(" />")].encode() + b">\n  ", False
    for activity in gathered.activities:  # each made, written and let go
        element = writer.activity(activity)
        indent(element, level=1)
        element.tail = None  # the text between two activities is written here
        stream.write(
            (b"\n  " if written else opening) + tostring(element, encoding="unicode").encode()
        )
        written = True
    stream.write(b"\n</iati-activities>\n" if written else head.encode() + b"\n")


def default_reporting_org(ledger_id: str) -> ReportingOrg:
    """The ledger's own identifier (see ``ledger_reporting_org``)."""
    return ReportingOrg(ledger_reporting_org(ledger_id), NAME)


NAME = "diplo ledger of published reports"
