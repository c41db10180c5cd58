"""Agency bodies and representations."""

import uuid
from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from oversight.agencies.models import AgencyStatus, Sector
from oversight.auth.schemas import StrictModel

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=200)]
Slug = Annotated[
    str,
    StringConstraints(min_length=2, max_length=64, pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$"),
    Field(description="Lower-case letters, digits and single hyphens", examples=["north-police"]),
]


class PatchModel(StrictModel):
    """A partial update: absent fields stay as they are; null is not a value."""

    @model_validator(mode="after")
    def _no_nulls(self) -> Any:
        nulls = [name for name in self.model_fields_set if getattr(self, name) is None]
        if nulls:
            raise ValueError(f"{', '.join(sorted(nulls))} cannot be null")
        return self


class AgencyCreate(StrictModel):
    name: Name
    slug: Slug | None = Field(default=None, description="Made from the name when omitted")
    sector: Sector


class AgencyUpdate(PatchModel):
    name: Name | None = None
    slug: Slug | None = None
    sector: Sector | None = None


class AgencyRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    slug: str
    sector: Sector
    status: AgencyStatus
    version: int
    created_at: datetime
    updated_at: datetime
