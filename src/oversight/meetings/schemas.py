"""Request and response bodies of meetings, attendance and minutes."""

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field, model_validator

from oversight.access.bodies import ItemTitle as Title
from oversight.access.bodies import PartialUpdate
from oversight.access.classification import (
    CLASSIFICATION_FIELDS,
    AgencyRef,
    ClassificationIn,
    ClassificationOut,
    ClassificationPatch,
    PersonRef,
)
from oversight.actions.schemas import ActionRead
from oversight.auth.schemas import StrictModel
from oversight.meetings import samples as ex
from oversight.meetings.models import AttendanceStatus, MinutesStatus
from oversight.samples import with_samples
from oversight.web.filters import AgencyFilter
from oversight.web.timestamps import Timestamp

Place = Annotated[str, Field(max_length=300)]
AgendaItem = Annotated[str, Field(min_length=1, max_length=1000)]
Agenda = Annotated[list[AgendaItem], Field(max_length=100)]
Decision = Annotated[str, Field(min_length=1, max_length=4000)]
MAX_MINUTES_CHARS = 200_000

RFC3339 = "RFC 3339 with a time zone"


class MeetingFilters(BaseModel):
    """The query of the meetings list: `from` (inclusive) and `to` (exclusive) bound
    `held_at`."""

    held_from: Timestamp | None = Field(None, alias="from", description=RFC3339)
    held_to: Timestamp | None = Field(None, alias="to", description=RFC3339)
    agency_id: AgencyFilter = None


class AttendanceEntry(StrictModel):
    """One agency or person at the meeting; `name` defaults to the agency's name."""

    model_config = with_samples(ex.ATTENDANCE[0], ex.ATTENDANCE[3])

    agency_id: uuid.UUID | None = None
    name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    status: AttendanceStatus

    @model_validator(mode="after")
    def _someone(self) -> "AttendanceEntry":
        if self.agency_id is None and self.name is None:
            raise ValueError("an attendance entry names an agency_id, a name, or both")
        return self


Attendance = Annotated[list[AttendanceEntry], Field(max_length=500)]


class AttendanceRead(BaseModel):
    model_config = with_samples(ex.ATTENDANCE_READ[0])

    agency_id: uuid.UUID | None
    name: str
    status: AttendanceStatus


class MeetingCreate(ClassificationIn):
    model_config = with_samples(ex.CREATE, ex.CREATE_AMBER_STRICT)

    title: Title
    held_at: Timestamp = Field(description="When the meeting starts (RFC 3339, with offset)")
    location: Place | None = None
    chair_user_id: uuid.UUID | None = Field(
        default=None, description="Chairs the meeting; may approve its minutes"
    )
    agenda: Agenda = Field(default_factory=list)
    attendance: Attendance = Field(default_factory=list)


class MeetingPatch(PartialUpdate, ClassificationPatch):
    """Null clears the location or the chair."""

    NULLABLE = CLASSIFICATION_FIELDS | {"location", "chair_user_id"}

    model_config = with_samples(ex.PATCH)

    title: Title | None = None
    held_at: Timestamp | None = None
    location: Place | None = None
    chair_user_id: uuid.UUID | None = None
    agenda: Agenda | None = None


class MinutesIn(StrictModel):
    model_config = with_samples(ex.MINUTES_IN)

    body: Annotated[str, Field(max_length=MAX_MINUTES_CHARS, description="Markdown")]
    decisions: Annotated[list[Decision], Field(max_length=200)] = Field(
        default_factory=list, description="What the meeting decided, one entry each"
    )


class ReopenIn(StrictModel):
    model_config = with_samples(ex.REOPEN)

    reason: Annotated[str, Field(min_length=1, max_length=2000)] = Field(
        description="Why approved minutes are being changed (kept with the new version)"
    )


class MinutesRead(BaseModel):
    model_config = with_samples(ex.MINUTES_READ, from_attributes=True)

    version: int = Field(validation_alias="revision", description="1 for the first minutes")
    status: MinutesStatus
    body: str
    decisions: list[str]
    drafted_by: list[uuid.UUID] = Field(description="Who wrote this version")
    approved_by: uuid.UUID | None
    approved_at: datetime | None
    published_at: datetime | None
    reopen_reason: str | None = Field(description="Why this version was started, if reopened")
    created_at: datetime
    updated_at: datetime


class MeetingRead(ClassificationOut):
    model_config = with_samples(ex.READ, from_attributes=True)

    id: uuid.UUID
    agency_id: uuid.UUID
    agency: AgencyRef = Field(description="The agency that owns the meeting")
    author_id: uuid.UUID | None
    author: PersonRef | None
    title: str
    held_at: datetime
    location: str | None
    chair_user_id: uuid.UUID | None
    chair: PersonRef | None
    agenda: list[str]
    attendance: list[AttendanceRead]
    minutes: MinutesRead | None = Field(
        description="The current minutes; a draft only for those who write or approve it, "
        "others see the latest approved version"
    )
    version: int
    created_at: datetime
    updated_at: datetime


class MeetingDetail(MeetingRead):
    model_config = with_samples(ex.DETAIL)

    actions: list[ActionRead] | None = Field(
        description="The meeting's action items the caller may see (null without actions:read)"
    )
