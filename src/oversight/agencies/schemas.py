"""Agency bodies and representations."""

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from oversight import samples as ex
from oversight.access.bodies import PartialUpdate, trimmed
from oversight.accounts.models import AgencyStatus, Sector
from oversight.auth.schemas import StrictModel
from oversight.samples import with_samples

Name = trimmed(2, 200)
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
Slug = Annotated[
    str,
    StringConstraints(min_length=2, max_length=64, pattern=SLUG_PATTERN),
    Field(description="Lower-case letters, digits and single hyphens", examples=["north-police"]),
]


class PatchModel(PartialUpdate, StrictModel):
    """A partial update: absent fields stay as they are; null is not a value."""


class AgencyCreate(StrictModel):
    model_config = with_samples(
        {
            "name": "Northshire Cyber Resilience Centre",
            "slug": "crc",
            "sector": "cyber_resilience_centre",
        },
        {"name": "Eastvale District Council", "sector": "local_authority"},
    )

    name: Name
    slug: Slug | None = Field(default=None, description="Made from the name when omitted")
    sector: Sector


class AgencyUpdate(PatchModel):
    model_config = with_samples({"name": "Northshire Police Cyber Crime Unit"})

    name: Name | None = None
    slug: Slug | None = None
    sector: Sector | None = None


class AgencyRead(BaseModel):
    model_config = with_samples(
        {
            "id": ex.POLICE,
            "name": "Northshire Police Cyber Crime Unit",
            "slug": "police-cyber",
            "sector": "police",
            "status": "active",
            "version": 3,
            "created_at": "2026-01-12T09:00:00Z",
            "updated_at": "2026-03-02T14:21:07Z",
        },
        from_attributes=True,
    )

    id: uuid.UUID
    name: str
    slug: str
    sector: Sector
    status: AgencyStatus
    version: int
    created_at: datetime
    updated_at: datetime
