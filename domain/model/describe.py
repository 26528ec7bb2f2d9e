"""What a fact is about, in words and in countries: shared by the log, the views and reports.

Works on the canonical JSON data of a fact (plain dicts), so the projections can use it on
stored bytes without building pydantic models.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Fields whose values are countries or ids with a country (orgs, people).
PARTY_FIELDS = (
    "country",
    "countries",
    "donor",
    "recipient",
    "parties",
    "partners",
    "by",
    "participants",
)
SUBJECTS = {"OrganizationRegistered": "org", "PersonRegistered": "person"}

Data = dict[str, Any]


@dataclass
class Directory:
    """The country and name of every registered organisation and person."""

    countries: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)

    def learn(self, data: Data) -> None:
        """Remember what a registration (or its corrected form) says."""
        subject = data.get(SUBJECTS.get(data["type"], ""))
        if subject is None:
            return
        self.names[subject] = data["name"]
        if data.get("country"):
            self.countries[subject] = data["country"]

    def country_of(self, party: str | None) -> str | None:
        if party is None:
            return None
        # Validated values: a country is exactly two upper-case letters, an id never is.
        return party if len(party) == 2 and party.isupper() else self.countries.get(party)

    def name_of(self, party: str) -> str:
        return self.names.get(party, party)

    def countries_in(self, data: Data) -> list[str]:
        """Every country ``data`` involves, directly or through an org or person it names."""
        found: set[str] = set()
        for name in PARTY_FIELDS:
            value = data.get(name)
            if value is None:
                continue
            for party in value if isinstance(value, list) else (value,):
                country = self.country_of(party)
                if country:
                    found.add(country)
        return sorted(found)


def summarize(f: Data, directory: Directory) -> str:
    """One line a reader understands without the catalog at hand."""
    n = directory.name_of
    match f["type"]:
        case "OrganizationRegistered" | "PersonRegistered" | "ProgrammeRegistered":
            return f"{f['name']} registered"
        case "PersonAppointed":
            return f"{n(f['person'])} appointed {f['title']} of {n(f['org'])}"
        case "MeetingHeld":
            place = f" at {f['place']}" if f.get("place") else ""
            return f"Meeting {f['meeting']} ({', '.join(f['countries'])}){place}"
        case "GrantAgreementSigned":
            amount = (
                f" for {f['amount']['value']} {f['amount']['currency']}" if f.get("amount") else ""
            )
            return f"Grant {f['grant']} signed: {n(f['donor'])} → {n(f['recipient'])}{amount}"
        case "EquipmentFunded":
            return f"Grant {f['grant']} funds {_items(f)}"
        case "EquipmentDelivered":
            return f"{_items(f).capitalize()} delivered by {n(f['donor'])} to {n(f['recipient'])}"
        case "ClinicPlanned":
            beds = f", {f['beds']} beds" if f.get("beds") else ""
            return f"{f['name']} planned ({f['financing']}{beds})"
        case "ProjectMilestoneReached":
            return f"Project {f['project']}: {f['milestone']}"
        case "CooperationEstablished":
            return f"Cooperation in {f['field']} established"
        case "CommitmentStated":
            return f"{n(f['by'])}: {f['statement']}"
        case "EventCorrected":
            return f"Correction of {f['target']}: {', '.join(f['changes'])}"
        case "EventRetracted":
            return f"Retraction of {f['target']}"
    return str(f["type"])


def _items(f: Data) -> str:
    items = f["items"]
    return items[0]["description"] if len(items) == 1 else f"{len(items)} items of equipment"
