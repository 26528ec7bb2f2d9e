"""What a fact is about, in words and in countries: shared by the log, the views and reports."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from events.envelope import Fact

_COUNTRY = re.compile(r"[A-Z]{2}")
# Fields whose values are countries or ids with a country (orgs, people).
PARTY_FIELDS = ("country", "countries", "donor", "recipient", "parties", "partners", "by",
                "participants")


@dataclass
class Directory:
    """The country of every registered organisation and person, built from the log."""

    countries: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)

    def learn(self, fact: Fact) -> None:
        """Remember what a registration says (later registrations of other ids only add)."""
        subject = getattr(fact, "org", None) if fact.type == "OrganizationRegistered" else (
            getattr(fact, "person", None) if fact.type == "PersonRegistered" else None)
        if subject is None:
            return
        self.names[subject] = getattr(fact, "name")
        country = getattr(fact, "country", None)
        if country:
            self.countries[subject] = country

    def country_of(self, party: str) -> str | None:
        return party if _COUNTRY.fullmatch(party) else self.countries.get(party)

    def countries_in(self, fact: Fact) -> list[str]:
        """Every country ``fact`` involves, directly or through an org or person it names."""
        found: set[str] = set()
        for name in PARTY_FIELDS:
            value = getattr(fact, name, None)
            for party in value if isinstance(value, list) else [value]:
                country = self.country_of(party) if isinstance(party, str) else None
                if country:
                    found.add(country)
        return sorted(found)


def summarize(fact: Fact, directory: Directory) -> str:
    """One line a reader understands without the catalog at hand."""
    n = directory.names.get
    f = fact.__dict__
    match fact.type:
        case "OrganizationRegistered" | "PersonRegistered" | "ProgrammeRegistered":
            return f"{f['name']} registered"
        case "PersonAppointed":
            return f"{n(f['person'], f['person'])} appointed {f['title']} of {n(f['org'], f['org'])}"
        case "MeetingHeld":
            return f"Meeting {f['meeting']} ({', '.join(f['countries'])})" + (
                f" at {f['place']}" if f.get("place") else "")
        case "GrantAgreementSigned":
            amount = f" for {f['amount'].value} {f['amount'].currency}" if f.get("amount") else ""
            return (f"Grant {f['grant']} signed: {n(f['donor'], f['donor'])} → "
                    f"{n(f['recipient'], f['recipient'])}{amount}")
        case "EquipmentFunded":
            return f"Grant {f['grant']} funds {len(f['items'])} item(s) of equipment"
        case "EquipmentDelivered":
            return (f"{len(f['items'])} item(s) delivered by {n(f['donor'], f['donor'])} to "
                    f"{n(f['recipient'], f['recipient'])}")
        case "ClinicPlanned":
            beds = f", {f['beds']} beds" if f.get("beds") else ""
            return f"{f['name']} planned ({f['financing'].value}{beds})"
        case "ProjectMilestoneReached":
            return f"Project {f['project']}: {f['milestone'].value}"
        case "CooperationEstablished":
            return f"Cooperation in {f['field']} established"
        case "CommitmentStated":
            return f"{n(f['by'], f['by'])}: {f['statement']}"
        case "EventCorrected":
            return f"Correction of {f['target']}: {', '.join(f['changes'])}"
        case "EventRetracted":
            return f"Retraction of {f['target']}"
    return fact.type
