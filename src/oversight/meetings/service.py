"""The rules of meetings: who creates and edits them, attendance, and what a reader is shown."""

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from oversight.access import rules
from oversight.access.policy import may_read_draft_minutes, may_write
from oversight.actions import service as actions
from oversight.auth.principal import Principal
from oversight.auth.scopes import Scope
from oversight.db import utcnow
from oversight.db.keyset import Key, PageSlice
from oversight.db.versions import require_version
from oversight.errors import Forbidden, Unprocessable
from oversight.meetings.models import Meeting, MeetingMinutes, MinutesStatus
from oversight.meetings.repository import MeetingRepository
from oversight.meetings.schemas import (
    AttendanceEntry,
    MeetingCreate,
    MeetingDetail,
    MeetingPatch,
    MeetingRead,
    MinutesRead,
    meeting_fields,
)

EDITABLE = ("title", "held_at", "location", "chair_user_id", "agenda")
R = TypeVar("R", bound=MeetingRead)


def may_edit(principal: Principal, meeting: Meeting) -> bool:
    return may_write(principal, Meeting, meeting.agency_id)


def may_approve(principal: Principal, meeting: Meeting) -> bool:
    """The chair, or an editor of the owning agency (four eyes is checked on the draft)."""
    return principal.is_user and (
        principal.id == meeting.chair_user_id or may_write(principal, Meeting, meeting.agency_id)
    )


def may_see_draft(principal: Principal, meeting: Meeting, minutes: MeetingMinutes) -> bool:
    return may_read_draft_minutes(
        principal, meeting.agency_id, meeting.chair_user_id, minutes.drafted_by, Meeting
    )


def editable(
    session: Session, principal: Principal, meeting_id: uuid.UUID, expected: int | None
) -> tuple[MeetingRepository, Meeting]:
    """The meeting, locked: 404 if the caller cannot read it, 403 if it may not edit it,
    428 or 412 unless the caller names its current version."""
    repo = MeetingRepository(session, principal)
    meeting = repo.get(meeting_id, for_update=True)
    if not may_edit(principal, meeting):
        raise Forbidden("Only editors of the agency that owns this meeting may change it")
    require_version(expected, meeting.version)
    return repo, meeting


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
    """Check the agencies named (422 for unknown ones) and give each entry its name."""
    names = repo.agency_names({e.agency_id for e in entries if e.agency_id is not None})
    unknown = sorted(
        {str(e.agency_id) for e in entries if e.agency_id and e.agency_id not in names}
    )
    if unknown:
        raise _unknown("attendance", "The attendance names unknown agencies", unknown)
    return [
        {
            "agency_id": str(e.agency_id) if e.agency_id else None,
            "name": e.name if e.name is not None else names[e.agency_id],  # type: ignore[index]
            "status": e.status.value,
        }
        for e in entries
    ]


def create(session: Session, principal: Principal, body: MeetingCreate) -> Meeting:
    if not may_write(principal, Meeting, principal.agency_id):
        raise Forbidden("Only editors may create meetings for their agency")
    classification = rules.of_new(principal, body)
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
    return repo.add(meeting, classification)


def get(session: Session, principal: Principal, meeting_id: uuid.UUID) -> MeetingDetail:
    return detail(session, principal, MeetingRepository(session, principal).get(meeting_id))


def listing(
    session: Session,
    principal: Principal,
    page: PageSlice,
    *,
    held_from: datetime | None = None,
    held_to: datetime | None = None,
    agency_id: uuid.UUID | None = None,
) -> tuple[list[MeetingRead], Key | None]:
    repo = MeetingRepository(session, principal)
    rows, last = repo.listing(page, held_from=held_from, held_to=held_to, agency_id=agency_id)
    return summaries(session, principal, rows), last


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
    classification = rules.merged(principal, meeting, body)
    for name in EDITABLE:
        if name in fields:
            setattr(meeting, name, getattr(body, name))
    if classification is not None:
        repo.classify(meeting, **classification.as_kwargs())
    session.flush()
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


# What a reader is shown.


def shown_minutes(
    principal: Principal, meeting: Meeting, newest_first: Sequence[MeetingMinutes]
) -> MeetingMinutes | None:
    """A draft only to those who write or approve it; others read the latest approved text."""
    for minutes in newest_first:
        if minutes.status != MinutesStatus.draft or may_see_draft(principal, meeting, minutes):
            return minutes
    return None


def summaries(
    session: Session, principal: Principal, meetings: Sequence[Meeting]
) -> list[MeetingRead]:
    versions = MeetingRepository(session, principal).latest_minutes([m.id for m in meetings])
    return [_read(MeetingRead, principal, m, versions.get(m.id, [])) for m in meetings]


def detail(session: Session, principal: Principal, meeting: Meeting) -> MeetingDetail:
    """The meeting, its minutes as the caller may read them, and the actions it may see."""
    versions = MeetingRepository(session, principal).latest_minutes([meeting.id])
    out = _read(MeetingDetail, principal, meeting, versions.get(meeting.id, []), actions=None)
    if Scope.actions_read in principal.scopes:
        out.actions = actions.for_meeting(session, principal, meeting.id)
    return out


def _read(
    cls: type[R],
    principal: Principal,
    meeting: Meeting,
    versions: Sequence[MeetingMinutes],
    **extra: object,
) -> R:
    minutes = shown_minutes(principal, meeting, versions)
    shown = MinutesRead.model_validate(minutes) if minutes is not None else None
    return cls.model_validate({**meeting_fields(meeting), "minutes": shown, **extra})
