"""The minutes workflow: draft → approved → published, reopened as a new version.

Editors of the owning agency write the draft. The chair or an editor of the owning agency
approves it, but never someone who wrote the version being approved (four eyes): a draft a
partner system wrote counts as written by the person who holds its secret (who created or
last rotated it), so nobody approves what they had a service account write. Approved
minutes are published by the same people; reopening (with a reason) starts a new draft
version from the approved text, which stays readable among the revisions.
"""

import uuid

from sqlalchemy.orm import Session

from oversight.auth.principal import Principal
from oversight.db import utcnow
from oversight.db.keyset import Key, PageSlice
from oversight.db.versions import require_version
from oversight.errors import Conflict, Forbidden
from oversight.meetings.models import Meeting, MeetingMinutes, MinutesStatus
from oversight.meetings.repository import MeetingRepository
from oversight.meetings.schemas import MeetingDetail, MinutesIn
from oversight.meetings.service import detail, editable, may_approve, touch
from oversight.service_accounts import repository as service_accounts


def _for_approvers(
    session: Session, principal: Principal, meeting_id: uuid.UUID, expected: int | None
) -> tuple[Meeting, MeetingMinutes]:
    repo = MeetingRepository(session, principal)
    meeting = repo.get(meeting_id, for_update=True)
    if not may_approve(principal, meeting):
        raise Forbidden(
            "Only the meeting's chair or an editor of the agency that owns it may approve, "
            "publish or reopen its minutes"
        )
    require_version(expected, meeting.version)
    minutes = repo.current_minutes(meeting)
    if minutes is None:
        raise Conflict(f"Meeting {meeting.id} has no minutes yet; write them with PUT first")
    return meeting, minutes


def _changed(session: Session, principal: Principal, meeting: Meeting) -> MeetingDetail:
    """A change of the minutes is a change of the meeting: a new version, answered whole."""
    touch(meeting)
    session.flush()
    return detail(session, principal, meeting)


def _answerable(session: Session, principal: Principal) -> set[str]:
    """Who wrote a draft, for four eyes: the caller and, for a partner system, the person
    who holds its secret (so nobody approves what they had a service account write)."""
    people = {str(principal.id)}
    if principal.kind == "service":
        person = service_accounts.responsible_person(session, principal.id)
        if person is not None:
            people.add(str(person))
    return people


def write(
    session: Session,
    principal: Principal,
    meeting_id: uuid.UUID,
    body: MinutesIn,
    expected_version: int | None,
) -> MeetingDetail:
    """Write the draft (the first one, or the current draft version)."""
    repo, meeting = editable(session, principal, meeting_id, expected_version)
    minutes = repo.current_minutes(meeting)
    if minutes is None:
        minutes = MeetingMinutes(meeting_id=meeting.id, revision=1, drafted_by=[])
        session.add(minutes)
    elif minutes.status != MinutesStatus.draft:
        raise Conflict(
            f"The minutes are {minutes.status} and can no longer be edited; reopen them "
            f"with POST /api/v1/meetings/{meeting.id}/minutes/reopen (giving a reason) to "
            "start a new draft version"
        )
    minutes.body = body.body
    minutes.decisions = list(body.decisions)
    writers = _answerable(session, principal) - set(minutes.drafted_by)
    if writers:
        minutes.drafted_by = [*minutes.drafted_by, *sorted(writers)]
    return _changed(session, principal, meeting)


def approve(
    session: Session, principal: Principal, meeting_id: uuid.UUID, expected_version: int | None
) -> MeetingDetail:
    meeting, minutes = _for_approvers(session, principal, meeting_id, expected_version)
    if minutes.status != MinutesStatus.draft:
        raise Conflict(f"The minutes are already {minutes.status}")
    if str(principal.id) in minutes.drafted_by:
        raise Forbidden(
            "You wrote this draft, so you may not approve it: the chair or another editor "
            "of the owning agency must (four eyes)"
        )
    minutes.status = MinutesStatus.approved
    minutes.approved_by = principal.id
    minutes.approved_at = utcnow()
    return _changed(session, principal, meeting)


def publish(
    session: Session, principal: Principal, meeting_id: uuid.UUID, expected_version: int | None
) -> MeetingDetail:
    meeting, minutes = _for_approvers(session, principal, meeting_id, expected_version)
    if minutes.status == MinutesStatus.draft:
        raise Conflict("Draft minutes must be approved before they are published")
    if minutes.status == MinutesStatus.published:
        raise Conflict("The minutes are already published")
    minutes.status = MinutesStatus.published
    minutes.published_by = principal.id
    minutes.published_at = utcnow()
    return _changed(session, principal, meeting)


def reopen(
    session: Session,
    principal: Principal,
    meeting_id: uuid.UUID,
    reason: str,
    expected_version: int | None,
) -> MeetingDetail:
    meeting, minutes = _for_approvers(session, principal, meeting_id, expected_version)
    if minutes.status == MinutesStatus.draft:
        raise Conflict("The minutes are already a draft; edit them with PUT")
    session.add(
        MeetingMinutes(
            meeting_id=meeting.id,
            revision=minutes.revision + 1,
            body=minutes.body,
            decisions=list(minutes.decisions),
            status=MinutesStatus.draft,
            drafted_by=[],
            reopened_by=principal.id,
            reopen_reason=reason,
        )
    )
    return _changed(session, principal, meeting)


def revisions(
    session: Session, principal: Principal, meeting_id: uuid.UUID, page: PageSlice
) -> tuple[list[MeetingMinutes], Key | None]:
    """Every approved (or published) version of the minutes, newest first."""
    repo = MeetingRepository(session, principal)
    return repo.approved_revisions(repo.get(meeting_id), page)
