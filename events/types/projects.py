"""Projects (clinics and the like) and the milestones of their life."""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field, model_validator

from diplo.events.declaration import Codes, Data, Meta, Rows, Table, declare
from diplo.events.envelope import Activity, refers_to
from diplo.events.rows import (
    IATI_IDENTIFIER,
    KEY,
    STATUS,
    add,
    count_in_pairs,
    joined,
    pair_of,
)
from diplo.events.values import CountryCode, Name, PartialDate, Party, RegionCode, Slug

if TYPE_CHECKING:
    from diplo.events.directory import Directory

ORDER = 40  # where the family stands in the catalog (registry first)


class Financing(str, Enum):
    ppp = "ppp"
    grant = "grant"
    loan = "loan"
    public = "public"
    private = "private"


class Milestone(str, Enum):
    construction_started = "construction-started"
    opened = "opened"
    completed = "completed"
    suspended = "suspended"
    cancelled = "cancelled"


class ClinicPlanned(Activity):
    type: Literal["ClinicPlanned"] = "ClinicPlanned"
    project: Slug
    name: Name
    country: CountryCode
    region: RegionCode | None = None
    city: Name | None = None
    beds: Annotated[int, Field(ge=1, le=100_000, strict=True)] | None = None
    partners: Annotated[list[Party], Field(max_length=200)] = refers_to(
        "country", "org", default=[]
    )
    financing: Financing
    planned_start: PartialDate | None = None

    @model_validator(mode="after")
    def _region_in_country(self) -> ClinicPlanned:
        if self.region is not None and not self.region.startswith(self.country + "-"):
            raise ValueError(f"region {self.region} is not in country {self.country}")
        return self


class ProjectMilestoneReached(Activity):
    type: Literal["ProjectMilestoneReached"] = "ProjectMilestoneReached"
    project: Slug = refers_to("project")
    milestone: Milestone


PROJECTS = Table(
    "projects",
    "Projects (clinics…), with status from their milestones.",
    {
        "project": "project id",
        "name": "name",
        "country": "ISO code",
        "region": "ISO 3166-2",
        "city": "city",
        "beds": "beds",
        "partners": "partner ids, comma-separated",
        "financing": "ppp, grant, loan, public or private",
        "status": "planned, a milestone, or retracted",
        "planned_start": "planned start",
        "planned_on": "date planned",
        "iati_identifier": IATI_IDENTIFIER,
        "key": KEY,
    },
)
MILESTONES = Table(
    "milestones",
    "Milestones reached by projects.",
    {
        "key": KEY,
        "project": "project id",
        "milestone": "milestone",
        "occurred_on": "date",
        "position": "log position",
        "status": STATUS,
    },
    indexes=("project",),
)


def _clinic(d: Data, m: Meta, directory: Directory) -> Rows:
    rows: Rows = {}
    add(
        rows,
        "projects",
        {
            "project": d["project"],
            "name": d["name"],
            "country": d["country"],
            "region": d.get("region"),
            "city": d.get("city"),
            "beds": d.get("beds"),
            "partners": joined(d.get("partners")),
            "financing": d["financing"],
            # the latest standing milestone replaces it (projections.refresh)
            "status": "retracted" if m.status == "retracted" else "planned",
            "planned_start": d.get("planned_start"),
            "planned_on": d["occurred_on"],
            "iati_identifier": directory.iati_identifier("project", d["project"]),
            "key": m.key,
        },
    )
    partners = {directory.country_of(p) for p in d.get("partners", [])}
    pairs = {pair_of(d["country"], c) for c in partners}
    count_in_pairs(rows, "projects", {p for p in pairs if p}, d, m)
    return rows


def _milestone(d: Data, m: Meta, _: Directory) -> Rows:
    return {
        "milestones": [
            {
                "key": m.key,
                "project": d["project"],
                "milestone": d["milestone"],
                "occurred_on": d["occurred_on"],
                "position": m.position,
                "status": m.status,
            }
        ]
    }


def _clinic_summary(d: Data, _: Callable[[str], str]) -> str:
    beds = f", {d['beds']} beds" if d.get("beds") else ""
    return f"{d['name']} planned ({d['financing']}{beds})"


declare(
    ClinicPlanned,
    record="project",
    subject="project",
    verb="planned",
    parties=("country", "partners"),
    summary=_clinic_summary,
    rows=_clinic,
    tables=(PROJECTS,),
    pair_kind=("projects", "projects planned"),
    codes=Codes(cameo="061"),
)
declare(
    ProjectMilestoneReached,
    record="project",
    subject="project",
    creates=False,
    command="reach",
    summary=lambda d, _: f"Project {d['project']}: {d['milestone']}",
    rows=_milestone,
    tables=(MILESTONES,),
    codes=Codes(cameo="061"),
)
