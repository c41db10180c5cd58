"""The rules of meetings: who creates and edits them, attendance, and what a reader is shown."""

import uuid
from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from oversight.access import writing
from oversight.access.policy import may_write
from oversight.accounts.names import agency_id_of
from oversight.auth.principal import Principal
from oversight.db import utcnow
from oversight.db.keyset import Key, PageSlice
from oversight.errors import Unprocessable
from oversight.meetings import presenter
from oversight.meetings.models import Meeting
from oversight.meetings.presenter import detail, summaries
from oversight.meetings.repository import MeetingRepository
from oversight.meetings.schemas import (
    AttendanceEntry,
    MeetingCreate,
    MeetingDetail,
    MeetingFilters,
    MeetingPatch,
    MeetingRead,
)
from oversight.representations import pages

EDITABLE = ("title", "held_at", "location", "chair_user_id", "agenda")
R = TypeVar("R", bound=MeetingRead)


def may_edit(principal: Principal, meeting: Meeting) -> bool:
    return may_write(principal, Meeting, meeting.agency_id)


def may_approve(principal: Principal, meeting: Meeting) -> bool:
    """The chair, or an editor of the owning agency (four eyes is checked on the draft)."""
    return principal.is_user and (
        principal.id == meeting.chair_user_id or may_write(principal, Meeting, meeting.agency_id)
    )


def editable(
    session: Session, principal: Principal, meeting_id: uuid.UUID, expected: int | None
) -> tuple[MeetingRepository, Meeting]:
    """The meeting, locked: 404 if the caller cannot read it, 403 if it may not edit it,
    428 or 412 unless the caller names its current version."""
    repo = MeetingRepository(session, principal)
    refusal = "Only editors of the agency that owns this meeting may change it"
    return repo, writing.writable(repo, meeting_id, expected, refusal)


def touch(meeting: Meeting) -> None:
    """A change below the meeting (attendance, minutes) is a change of it: a new version."""
    meeting.updated_at = utcnow()


def _unknown(field: str, detail: str, ids: Sequence[str]) -> Unprocessable:
    msg = f"Unknown ids: {', '.join(ids)}"
    return Unprocessable(
        detail, extra={"errors": [{"loc": ["body", field], "msg": msg, "type": "unknown_id"}]}
    )


def _check_chair(repo: MeetingRepository, chair_id: uuid.UUID | None) -> None:
    if chair_id is not None and not repo.user_exists(chair_id):
        raise _unknown("chair_user_id", "chair_user_id does not name a user", [str(chair_id)])


def attendance_rows(
    repo: MeetingRepository, entries: Sequence[AttendanceEntry]
) -> list[dict[str, Any]]:
    """Check the agencies named (422 for unknown ones). A row keeps a name only when the
    attendee was given one of its own: an agency's name is looked up when it is read."""
    named = {e.agency_id for e in entries if e.agency_id is not None}
    unknown = sorted(str(a) for a in named - repo.existing_agencies(named))
    if unknown:
        raise _unknown("attendance", "The attendance names unknown agencies", unknown)
    return [
        {
            "agency_id": str(e.agency_id) if e.agency_id else None,
            "name": e.name,
            "status": e.status.value,
        }
        for e in entries
    ]


def create(session: Session, principal: Principal, body: MeetingCreate) -> MeetingDetail:
    classification = writing.new_classification(
        principal, Meeting, body, "Only editors may create meetings for their agency"
    )
    repo = MeetingRepository(session, principal)
    _check_chair(repo, body.chair_user_id)
    meeting = Meeting(
        title=body.title,
        held_at=body.held_at,
        location=body.location,
        chair_user_id=body.chair_user_id,
        agenda=list(body.agenda),
        attendance=attendance_rows(repo, body.attendance),
    )
    return detail(session, principal, repo.add(meeting, classification))


def get(session: Session, principal: Principal, meeting_id: uuid.UUID) -> MeetingDetail:
    return detail(session, principal, MeetingRepository(session, principal).get(meeting_id))


def listing(
    session: Session, principal: Principal, f: MeetingFilters, page: PageSlice
) -> tuple[list[bytes], Key | None]:
    """A page of meetings as the caller sees them, as JSON (the list endpoint)."""
    repo = MeetingRepository(session, principal)
    base = pages.loading(repo, presenter.REPRESENTED)
    rows, last = _page(session, repo, f, page, base)
    return pages.items_json(session, principal, presenter.REPRESENTED, rows, repo.items), last


def summaries_page(
    session: Session, principal: Principal, f: MeetingFilters, page: PageSlice
) -> tuple[list[MeetingRead], Key | None]:
    """A page of meetings as the caller sees them, as objects (for the board update)."""
    repo = MeetingRepository(session, principal)
    rows, last = _page(session, repo, f, page, None)
    return summaries(session, principal, rows), last


def _page(
    session: Session, repo: MeetingRepository, f: MeetingFilters, page: PageSlice, base: Any
) -> tuple[list[Any], Key | None]:
    agency = agency_id_of(session, f.agency_id)
    return repo.listing(page, held_from=f.held_from, held_to=f.held_to, agency_id=agency, base=base)


def patch(
    session: Session,
    principal: Principal,
    meeting_id: uuid.UUID,
    body: MeetingPatch,
    expected_version: int | None,
) -> MeetingDetail:
    repo, meeting = editable(session, principal, meeting_id, expected_version)
    fields = body.model_fields_set
    if "chair_user_id" in fields:
        _check_chair(repo, body.chair_user_id)
    writing.edit(repo, meeting, body, EDITABLE)
    return detail(session, principal, meeting)


def put_attendance(
    session: Session,
    principal: Principal,
    meeting_id: uuid.UUID,
    entries: Sequence[AttendanceEntry],
    expected_version: int | None,
) -> MeetingDetail:
    repo, meeting = editable(session, principal, meeting_id, expected_version)
    meeting.attendance = attendance_rows(repo, entries)
    touch(meeting)
    session.flush()
    return detail(session, principal, meeting)
