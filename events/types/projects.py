"""Projects (clinics and the like) and the milestones of their life."""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field, model_validator

from diplo.events.declaration import Codes, Data, Meta, Rows, Table, declare
from diplo.events.envelope import Activity, described, refers_to
from diplo.events.rows import (
    IATI_IDENTIFIER,
    KEY,
    STATUS,
    add,
    count_in_pairs,
    joined,
    pair_of,
)
from diplo.events.values import (
    EMPTY_BY_DEFAULT,
    CountryCode,
    Name,
    PartialDate,
    Party,
    RegionCode,
    Slug,
)

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
    """A clinic or hospital is planned."""

    type: Literal["ClinicPlanned"] = "ClinicPlanned"
    project: Slug = described("The project's id: a lowercase slug.", "samarkand-clinic")
    name: Name = described("The clinic's name.", "Samarkand Regional Multidisciplinary Clinic")
    country: CountryCode = described("The country it is in (ISO 3166-1 alpha-2).", "UZ")
    region: RegionCode | None = described("Its region: an ISO 3166-2 code.", "UZ-SA", default=None)
    city: Name | None = described("Its city or town.", "Samarkand", default=None)
    beds: Annotated[int, Field(ge=1, le=100_000, strict=True)] | None = described(
        "How many beds it will have (a whole number).", 800, default=None
    )
    partners: Annotated[list[Party], Field(max_length=200)] = refers_to(
        "country",
        "org",
        **EMPTY_BY_DEFAULT,
        description="Who builds or funds it: country codes or organisation ids.",
        examples=[["JP", "moh-uz"]],
    )
    financing: Financing = described("How it is financed.", "ppp")
    planned_start: PartialDate | None = described(
        "When work is planned to start (EDTF partial date).", "2026", default=None
    )

    @model_validator(mode="after")
    def _region_in_country(self) -> ClinicPlanned:
        """The region, if given, is a region of the country."""
        if self.region is not None and not self.region.startswith(self.country + "-"):
            raise ValueError(f"region {self.region} is not in country {self.country}")
        return self


class ProjectMilestoneReached(Activity):
    """A planned project reached a milestone."""

    type: Literal["ProjectMilestoneReached"] = "ProjectMilestoneReached"
    project: Slug = refers_to(
        "project", description="The planned project.", examples=["samarkand-clinic"]
    )
    milestone: Milestone = described(
        "The milestone reached: planned, then construction-started, then completed or "
        "opened; suspended resumes by construction-started; cancelled is final.",
        "construction-started",
    )


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
