"""Request and response bodies of action items and their progress log."""

import uuid
from datetime import date, datetime
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
from oversight.actions import samples as ex
from oversight.actions.status import ActionStatus, Priority, Rag
from oversight.auth.schemas import StrictModel
from oversight.samples import with_samples
from oversight.web.timestamps import Day

Description = Annotated[str, Field(max_length=20_000, description="Markdown")]
Note = Annotated[str, Field(min_length=1, max_length=10_000)]

LINKS = (
    "`meeting_id` and `bulletin_id` must name items the caller can read; otherwise 422 "
    "(which does not say whether such an item exists)."
)


class ActionCreate(ClassificationIn):
    model_config = with_samples(ex.CREATE_FROM_MEETING, ex.CREATE_FROM_BULLETIN)

    title: Title
    description: Description = ""
    meeting_id: uuid.UUID | None = Field(default=None, description="The meeting that agreed it")
    bulletin_id: uuid.UUID | None = Field(default=None, description="The bulletin it answers")
    owner_agency_id: uuid.UUID = Field(description="The agency that must carry it out")
    assignee_user_id: uuid.UUID | None = Field(
        default=None, description="A person of the owner agency"
    )
    due_date: Day | None = None
    priority: Priority = Priority.medium


# What an editor writes of an action besides its classification: the one list.
EDITABLE = tuple(f for f in ActionCreate.model_fields if f not in ClassificationIn.model_fields)


class ActionPatch(PartialUpdate, ClassificationPatch):
    """Editors of the creating agency may change anything; the owner agency only `status`.
    Null clears a link, the assignee or the due date."""

    NULLABLE = CLASSIFICATION_FIELDS | {
        "meeting_id",
        "bulletin_id",
        "assignee_user_id",
        "due_date",
        "note",
    }

    model_config = with_samples(ex.PATCH_STATUS, ex.PATCH_EDIT)

    title: Title | None = None
    description: Description | None = None
    meeting_id: uuid.UUID | None = None
    bulletin_id: uuid.UUID | None = None
    owner_agency_id: uuid.UUID | None = None
    assignee_user_id: uuid.UUID | None = None
    due_date: Day | None = None
    priority: Priority | None = None
    status: ActionStatus | None = Field(
        default=None, description="A status change is also written to the progress log"
    )
    note: Note | None = Field(
        default=None, description="Goes with a status change; needed to reopen a closed item"
    )

    @model_validator(mode="after")
    def _note_with_status(self) -> "ActionPatch":
        if self.note is not None and self.status is None:
            raise ValueError("a note goes with a status change; post notes to …/updates")
        return self


class ActionRead(ClassificationOut):
    model_config = with_samples(ex.READ)

    id: uuid.UUID
    agency_id: uuid.UUID = Field(description="The creating agency")
    agency: AgencyRef
    author_id: uuid.UUID | None
    author: PersonRef | None
    title: str
    description: str
    meeting_id: uuid.UUID | None = Field(description="null too when the caller cannot read it")
    bulletin_id: uuid.UUID | None = Field(description="null too when the caller cannot read it")
    owner_agency_id: uuid.UUID
    owner_agency: AgencyRef = Field(description="The agency that must carry it out")
    assignee_user_id: uuid.UUID | None
    assignee: PersonRef | None
    due_date: date | None
    priority: Priority
    status: ActionStatus
    rag_status: Rag | None = Field(
        description="red: overdue; amber: due within 7 days; green otherwise; null when closed"
    )
    overdue: bool = Field(description="Past its due date (UTC) and neither done nor cancelled")
    version: int
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None


class ActionUpdateIn(StrictModel):
    model_config = with_samples(ex.UPDATE_IN, ex.NOTE_ONLY)

    note: Note
    status: ActionStatus | None = Field(default=None, description="The new status, if it changes")


class ActionUpdateRead(BaseModel):
    model_config = with_samples(ex.UPDATE_READ, from_attributes=True)

    id: uuid.UUID
    action_id: uuid.UUID
    author_id: uuid.UUID
    author: PersonRef
    author_kind: str
    author_agency_id: uuid.UUID
    note: str | None = Field(description="null for a status change made by PATCH without one")
    from_status: ActionStatus | None
    to_status: ActionStatus | None
    created_at: datetime


class ActionUpdateResult(ActionUpdateRead):
    model_config = with_samples(ex.UPDATE_RESULT)

    action: ActionRead = Field(description="The action after this update (its new `version`)")
