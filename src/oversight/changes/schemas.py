"""The change feed's representation: an event names an item, never its content."""

import uuid
from datetime import datetime

from pydantic import BaseModel, Field

from oversight.samples import with_samples
from oversight.web.paging import SAMPLE_CURSOR

SAMPLE = {
    "id": "5b0f4a8e-3c1d-4f7a-9a51-0c2e9d6b7f10",
    "type": "bulletin.published",
    "resource_type": "bulletin",
    "resource_id": "0b7c2f7e-6a4d-4a55-8f2e-1d9c3b5a7e21",
    "version": 3,
    "at": "2026-11-27T09:30:00Z",
}


class ChangeRead(BaseModel):
    model_config = with_samples(SAMPLE, from_attributes=True)

    id: uuid.UUID
    type: str = Field(description="`<resource>.<verb>`, e.g. `bulletin.published`")
    resource_type: str = Field(description="`bulletin`, `meeting`, `action` or `report`")
    resource_id: uuid.UUID
    version: int = Field(description="The item's version right after the change")
    at: datetime


class ChangePage(BaseModel):
    model_config = with_samples({"items": [SAMPLE], "next_cursor": SAMPLE_CURSOR})

    items: list[ChangeRead]
    next_cursor: str = Field(
        description="Pass as `after` to read on from here; present on every page, also the "
        "last one, so a partner polls with it"
    )
