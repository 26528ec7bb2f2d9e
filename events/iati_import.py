"""IATI 2.01–2.03 activity files as ledger events: what each activity says, as diplo facts.

Each ``iati-activity`` becomes a grant (or, for a loan finance type, a loan) from its funding
organisation to its recipient country, signed when it was first committed; its commitments
(transaction type 2) are its amount, its disbursements and expenditures (3, 4) are
``FundsDisbursed`` under it. Funding organisations that are not countries are registered,
with the country their identifier begins with (``GB-GOV-1``: GB). Keys come from the activity
identifier and each transaction's content, so importing a file again records nothing new.

Every code is checked against the IATI codelists; an element IATI does not define, a file of
another version, a value diplo cannot record truthfully (a negative amount, several recipient
countries, mixed currencies in one commitment total) is a ``FILE:LINE: element: …`` refusal, and
nothing is written. Elements IATI defines that diplo has no place for (budgets, results,
locations…) are counted in ``left_out`` for the command to say so.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any
from xml.etree.ElementTree import Element

from diplo.events.catalog import parse_fact
from diplo.events.envelope import Fact
from diplo.events.errors import InvalidEvent
from diplo.events.iati_codes import codelist
from diplo.events.iati_xml import XmlFile
from diplo.events.sectors import sectors

VERSIONS = ("2.01", "2.02", "2.03")
CHILDREN = frozenset(
    "iati-identifier reporting-org title description participating-org other-identifier "
    "activity-status activity-date contact-info activity-scope recipient-country "
    "recipient-region location sector tag country-budget-items humanitarian-scope policy-marker "
    "collaboration-type default-flow-type default-finance-type default-aid-type "
    "default-tied-status budget planned-disbursement capital-spend transaction document-link "
    "related-activity legacy-data conditions result crs-add fss".split()
)
RECORDED = frozenset(
    "iati-identifier reporting-org title description participating-org activity-date "
    "recipient-country sector default-finance-type default-tied-status transaction "
    "document-link".split()
)
TRANSACTION_CHILDREN = frozenset(
    "transaction-type transaction-date value description provider-org receiver-org "
    "disbursement-channel sector recipient-country recipient-region flow-type finance-type "
    "aid-type tied-status".split()
)
# (path from the activity, attribute, codelist); aid types only of vocabulary 1 (OECD DAC).
CODES = (
    ("activity-status", "code", "ActivityStatus"),
    ("activity-date", "type", "ActivityDateType"),
    ("reporting-org", "type", "OrganisationType"),
    ("participating-org", "role", "OrganisationRole"),
    ("participating-org", "type", "OrganisationType"),
    ("recipient-country", "code", "Country"),
    ("default-finance-type", "code", "FinanceType"),
    ("default-flow-type", "code", "FlowType"),
    ("default-tied-status", "code", "TiedStatus"),
    ("default-aid-type[@vocabulary='1']", "code", "AidType"),
    ("transaction/transaction-type", "code", "TransactionType"),
    ("transaction/finance-type", "code", "FinanceType"),
    ("transaction/flow-type", "code", "FlowType"),
    ("transaction/tied-status", "code", "TiedStatus"),
    ("transaction/recipient-country", "code", "Country"),
    ("transaction/aid-type[@vocabulary='1']", "code", "AidType"),
)
LOAN_FINANCE = frozenset({"410", "411", "412", "413", "414", "421"})
TIED = {"3": "partially-tied", "4": "tied", "5": "untied"}
ORG_KINDS = {"10": "government", "11": "government", "15": "agency", "21": "ngo", "22": "ngo",
             "23": "ngo", "24": "ngo", "70": "company", "71": "company", "72": "company",
             "73": "company", "80": "university"}  # fmt: skip
PAID = {"3": "disbursement", "4": "expenditure"}
_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?")
_KEY_CHARS = re.compile(r"[^A-Za-z0-9._:/-]")


@dataclass
class Imported:
    """The facts of a file, in the order they are recorded, and what diplo had no place for."""

    facts: list[tuple[str, Fact]] = field(default_factory=list)
    left_out: Counter[str] = field(default_factory=Counter)
    activities: int = 0
    _orgs: set[str] = field(default_factory=set)


def iati_facts(xml: XmlFile) -> Imported:
    """Every fact of an IATI activity file, or a refusal naming the line."""
    root = xml.root
    if root.tag != "iati-activities":
        raise xml.refuse(root, "expected an IATI activity file (<iati-activities>)")
    version = root.get("version", "")
    if version not in VERSIONS:
        raise xml.refuse(
            root, f"version {version or '(none)'} is not supported; expected 2.01, 2.02 or 2.03"
        )
    found = Imported()
    for element in root:
        if not isinstance(element.tag, str) or element.tag.startswith("{"):
            found.left_out["extension elements"] += 1  # other namespaces: IATI allows them
            continue
        if element.tag != "iati-activity":
            raise xml.refuse(element, "unknown element; expected iati-activity")
        _Activity(xml, element, found).add()
        found.activities += 1
    return found


class _Activity:
    def __init__(self, xml: XmlFile, element: Element, found: Imported) -> None:
        self.xml, self.element, self.found = xml, element, found
        self.identifier = (element.findtext("iati-identifier") or "").strip()
        if not self.identifier:
            raise xml.refuse(element, "iati-identifier: missing; every activity needs one")
        self.currency = element.get("default-currency")

    def add(self) -> None:
        self._check_children()
        self._check_codes()
        donor, cofinanciers = self._funders()
        recipient = self._recipient()
        committed = self._transactions("2")
        finance = self._finance_type(committed)
        record = "loan" if finance in LOAN_FINANCE else "grant"
        record_id = _slug(self.identifier)
        body: dict[str, Any] = {
            "type": "LoanAgreementSigned" if record == "loan" else "GrantAgreementSigned",
            "key": _key(f"iati:{self.identifier}"),
            record: record_id,
            "lender" if record == "loan" else "donor": donor,
            "borrower" if record == "loan" else "recipient": recipient,
            "purpose": self._title(),
            "occurred_on": self._signed_on(committed),
            "sources": [self._source(), *self._documents()],
            "note": self._note(committed),
        }
        if cofinanciers and record == "grant":
            body["cofinanciers"] = cofinanciers
        amount = self._total(committed)
        if amount:
            body["amount"] = amount
        elif record == "loan":
            raise self.xml.refuse(self.element, "a loan needs its commitment (transaction 2)")
        sector = self._sector()
        if sector:
            body["sector"] = sector
        tied = self.element.find("default-tied-status")
        if record == "loan" and tied is not None:
            body["terms"] = {"tied": TIED[tied.get("code", "")]}
        self._fact(self.element, body)
        self._payments(record_id)

    # -- checks ---------------------------------------------------------------------------

    def _check_children(self) -> None:
        for child in self.element:
            tag = child.tag
            if not isinstance(tag, str) or tag.startswith("{"):
                self.found.left_out["extension elements"] += 1
            elif tag not in CHILDREN:
                raise self.xml.refuse(child, "unknown element in iati-activity (IATI 2.03)")
            elif tag not in RECORDED:
                self.found.left_out[tag] += 1
        for transaction in self.element.iter("transaction"):
            for child in transaction:
                if isinstance(child.tag, str) and not child.tag.startswith("{"):
                    if child.tag not in TRANSACTION_CHILDREN:
                        raise self.xml.refuse(child, "unknown element in transaction")

    def _check_codes(self) -> None:
        for path, attribute, name in CODES:
            for element in self.element.findall(path):
                code = element.get(attribute)
                if code is None and attribute in ("role", "code"):
                    raise self.xml.refuse(element, f"@{attribute} is missing")
                if code is not None and code not in codelist(name):
                    raise self.xml.refuse(
                        element, f"@{attribute} {code!r} is not in the IATI {name} codelist"
                    )
        for element in self.element.iter("sector"):
            if element.get("vocabulary", "1") == "1" and element.get("code") not in sectors():
                raise self.xml.refuse(
                    element, f"@code {element.get('code')!r} is not an OECD DAC CRS purpose code"
                )
        for element in [self.element, *self.element.iter("value")]:
            code = element.get("currency") or element.get("default-currency")
            if code is not None and code not in codelist("Currency"):
                raise self.xml.refuse(element, f"currency {code!r} is not in the IATI codelist")

    # -- parties --------------------------------------------------------------------------

    def _funders(self) -> tuple[str, list[str]]:
        funders = [o for o in self.element.findall("participating-org") if o.get("role") == "1"]
        if not funders:
            reporting = self.element.find("reporting-org")
            if reporting is None:
                raise self.xml.refuse(self.element, "no funding organisation nor reporting-org")
            funders = [reporting]
        parties = list(dict.fromkeys(self._party(o) for o in funders))
        return parties[0], parties[1:]

    def _party(self, org: Element) -> str:
        """A country (``ref="GB"``), or a registered organisation of the country its
        identifier begins with; an organisation whose country cannot be told is refused."""
        ref = (org.get("ref") or "").strip()
        name = _narrative(org) or ref
        if re.fullmatch(r"[A-Z]{2}", ref) and ref in codelist("Country"):
            return ref
        country = ref[:2] if re.match(r"[A-Z]{2}-", ref) else ""
        if country not in codelist("Country"):
            raise self.xml.refuse(
                org,
                f"cannot tell the country of {name or 'an unnamed organisation'!r} (ref "
                f"{ref!r}); diplo records funders as countries or organisations of a country",
            )
        org_id = _slug(ref or name)
        if org_id not in self.found._orgs:
            self.found._orgs.add(org_id)
            body = {
                "type": "OrganizationRegistered",
                "key": _key(f"iati:org:{ref}"),
                "org": org_id,
                "name": name,
                "country": country,
                "kind": ORG_KINDS.get(org.get("type", ""), "other"),
                "sources": [self._source()],
            }
            self._fact(org, body)
        return org_id

    def _recipient(self) -> str:
        countries = self.element.findall("recipient-country")
        if len(countries) != 1:
            raise self.xml.refuse(
                countries[1] if countries else self.element,
                f"{len(countries)} recipient countries; diplo records a flow to one country, "
                "so an activity must name exactly one",
            )
        return countries[0].get("code", "")

    # -- money and dates ------------------------------------------------------------------

    def _transactions(self, *types: str) -> list[Element]:
        return [t for t in self.element.findall("transaction") if self._type_of(t) in types]

    def _type_of(self, transaction: Element) -> str:
        kind = transaction.find("transaction-type")
        if kind is None:
            raise self.xml.refuse(transaction, "transaction-type is missing")
        return kind.get("code", "")

    def _finance_type(self, committed: list[Element]) -> str:
        default = self.element.find("default-finance-type")
        for transaction in committed:
            own = transaction.find("finance-type")
            if own is not None:
                return own.get("code", "")
        return default.get("code", "") if default is not None else ""

    def _money(self, transaction: Element) -> dict[str, str]:
        value = transaction.find("value")
        if value is None:
            raise self.xml.refuse(transaction, "value is missing")
        text = (value.text or "").strip()
        if not _DECIMAL.fullmatch(text):
            raise self.xml.refuse(value, f"{text!r} is not a decimal amount")
        if text.startswith("-"):
            raise self.xml.refuse(value, "a negative amount (a reversal) cannot be recorded")
        currency = value.get("currency") or self.currency
        if not currency:
            raise self.xml.refuse(value, "no @currency and no default-currency on the activity")
        return {"value": text, "currency": currency}

    def _total(self, committed: list[Element]) -> dict[str, str] | None:
        amounts = [self._money(t) for t in committed]
        if not amounts:
            return None
        currencies = {a["currency"] for a in amounts}
        if len(currencies) > 1:
            raise self.xml.refuse(
                committed[1], f"commitments in {sorted(currencies)}: diplo never adds currencies"
            )
        try:
            total = sum((Decimal(a["value"]) for a in amounts), Decimal(0))
        except InvalidOperation:
            raise self.xml.refuse(committed[0], "amount out of range") from None
        text = amounts[0]["value"] if len(amounts) == 1 else _decimal_text(total)
        return {"value": text, "currency": amounts[0]["currency"]}

    def _date(self, element: Element, attribute: str = "iso-date") -> str:
        text = (element.get(attribute) or "")[:10]
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
            raise self.xml.refuse(element, f"@{attribute} {text!r} is not a date (YYYY-MM-DD)")
        return text

    def _signed_on(self, committed: list[Element]) -> str:
        for transaction in committed:
            day = transaction.find("transaction-date")
            if day is not None:
                return self._date(day)
        for date_type in ("2", "1"):
            for element in self.element.findall(f"activity-date[@type='{date_type}']"):
                return self._date(element)
        raise self.xml.refuse(self.element, "no commitment nor start date to date it by")

    def _payments(self, record_id: str) -> None:
        seen: Counter[str] = Counter()
        for transaction in self.element.findall("transaction"):
            kind = self._type_of(transaction)
            if kind not in PAID:
                if kind != "2":
                    self.found.left_out[f"transactions of type {kind}"] += 1
                continue
            money = self._money(transaction)
            day_element = transaction.find("transaction-date")
            if day_element is None:
                raise self.xml.refuse(transaction, "transaction-date is missing")
            day = self._date(day_element)
            label = f"iati:{self.identifier}/{kind}/{day}/{money['value']}{money['currency']}"
            seen[label] += 1
            label += f"/{seen[label]}" if seen[label] > 1 else ""
            body = {
                "type": "FundsDisbursed",
                "key": _key(label),
                "disbursement": _slug(label),
                "of": record_id,
                "amount": money,
                "occurred_on": day,
                "sources": [self._source()],
                "note": self._transaction_note(transaction, kind, day),
            }
            self._fact(transaction, body)

    def _transaction_note(self, transaction: Element, kind: str, day: str) -> str:
        parts = [f"IATI {PAID[kind]} of activity {self.identifier}"]
        value = transaction.find("value")
        value_date = value.get("value-date", "")[:10] if value is not None else ""
        if value_date and value_date != day:
            parts.append(f"value date {value_date}")
        said = _narrative(transaction.find("description"))
        if said:
            parts.append(said)
        return "; ".join(parts)

    # -- words ----------------------------------------------------------------------------

    def _title(self) -> str:
        title = _narrative(self.element.find("title"))
        if not title:
            raise self.xml.refuse(self.element, "title: no narrative to take the purpose from")
        return title

    def _sector(self) -> str | None:
        codes = [
            s.get("code", "")
            for s in self.element.findall("sector")
            if s.get("vocabulary", "1") == "1"
        ]
        return codes[0] if len(codes) == 1 else None

    def _note(self, committed: list[Element]) -> str:
        parts = [f"IATI activity {self.identifier}"]
        sectors_ = [
            f"{s.get('code')} ({s.get('percentage', '?')}%)"
            for s in self.element.findall("sector")
            if s.get("vocabulary", "1") == "1"
        ]
        if len(sectors_) > 1:
            parts.append("sectors " + ", ".join(sectors_))
        if len(committed) > 1:
            parts.append(f"amount: the sum of {len(committed)} commitments")
        return "; ".join(parts)

    def _source(self) -> dict[str, str]:
        reporting = self.element.find("reporting-org")
        publisher = (_narrative(reporting) or (reporting.get("ref") if reporting is not None
                     else None) or "IATI publisher")  # fmt: skip
        source = {"publisher": publisher[:300], "title": f"IATI activity {self.identifier}"[:500]}
        updated = self.element.get("last-updated-datetime", "")[:10]
        if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", updated):
            source["published_on"] = updated
        return source

    def _documents(self) -> list[dict[str, str]]:
        """The activity's document links that name a web address, as further sources."""
        found = []
        for link in self.element.findall("document-link")[:49]:
            url = (link.get("url") or "").strip()
            if not re.fullmatch(r"https?://\S+", url) or len(url) > 2000:
                self.found.left_out["document-links without an http(s) URL"] += 1
                continue
            title = _narrative(link.find("title")) or url
            found.append(
                {"publisher": self._source()["publisher"], "title": title[:500], "url": url}
            )
        return found

    def _fact(self, element: Element, body: dict[str, Any]) -> None:
        try:
            fact = parse_fact(body)
        except InvalidEvent as error:
            raise error.located(self.xml.source, self.xml.line(element)) from None
        self.found.facts.append((self.xml.where(element), fact))


def _narrative(element: Element | None) -> str:
    """The first narrative (English or untagged first); 1.0 files put text in the element."""
    if element is None:
        return ""
    narratives = element.findall("narrative")
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    narratives.sort(key=lambda n: n.get(lang, "en") != "en")
    return " ".join((narratives[0].text or "").split()) if narratives else ""


def _slug(text: str) -> str:
    """A diplo id for an IATI identifier: lower case, other characters as ``-``, and a hash
    of the whole where it must be shortened, so two identifiers never share an id."""
    slug = "iati-" + re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    if len(slug) <= 64:
        return slug
    return f"{slug[:54].rstrip('-')}-{hashlib.sha256(text.encode()).hexdigest()[:8]}"


def _key(text: str) -> str:
    key = _KEY_CHARS.sub("-", text)
    if len(key) <= 200:
        return key
    return f"{key[:180]}-{hashlib.sha256(text.encode()).hexdigest()[:16]}"


def _decimal_text(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
