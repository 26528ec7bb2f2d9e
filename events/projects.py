"""Projects (clinics and the like) and the milestones of their life."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Literal

from pydantic import Field, model_validator

from diplo.events.envelope import Activity, refers_to
from diplo.events.values import CountryCode, Name, PartialDate, Party, RegionCode, Slug


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
