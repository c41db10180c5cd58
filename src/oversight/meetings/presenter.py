"""Meetings as a reader sees them: names beside ids, the minutes it may read, its actions."""

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import exists
from sqlalchemy.orm import Session

from oversight.access import names
from oversight.access.policy import may_read_draft_minutes
from oversight.accounts.names import Names
from oversight.actions import service as actions
from oversight.auth.principal import Principal
from oversight.auth.scopes import Scope
from oversight.meetings.models import Meeting, MeetingMinutes, MinutesStatus
from oversight.meetings.repository import MeetingRepository
from oversight.meetings.schemas import MeetingDetail, MeetingRead, MinutesRead
from oversight.representations import store

# An attendance row names an agency that the meeting was checked against when it was written,
# and agencies are never deleted; this shows only if a row was written around the service.
UNKNOWN_AGENCY = "(unknown agency)"


def may_see_draft(principal: Principal, meeting: Meeting, minutes: MeetingMinutes) -> bool:
    return may_read_draft_minutes(
        principal, meeting.agency_id, meeting.chair_user_id, minutes.drafted_by, Meeting
    )


def shown_minutes(
    principal: Principal, meeting: Meeting, newest_first: Sequence[MeetingMinutes]
) -> MeetingMinutes | None:
    """A draft only to those who write or approve it; others read the latest approved text."""
    for minutes in newest_first:
        if minutes.status != MinutesStatus.draft or may_see_draft(principal, meeting, minutes):
            return minutes
    return None


def _derived(
    session: Session, principal: Principal, meetings: Sequence[Any]
) -> Callable[[Any], dict[str, Any]]:
    """The minutes each meeting's reader may read (one query for the page, none when no
    meeting of a page's rows has minutes: `HAS_MINUTES`)."""
    with_minutes = [m.id for m in meetings if getattr(m, "has_minutes", True)]
    versions = MeetingRepository(session, principal).latest_minutes(with_minutes)

    def derived(meeting: Any) -> dict[str, Any]:
        shown = shown_minutes(principal, meeting, versions.get(meeting.id, []))
        return {"minutes": MinutesRead.model_validate(shown) if shown is not None else None}

    return derived


def _attendance(meeting: Any, found: Names) -> dict[str, Any]:
    """Each row under its own name if it was given one, else its agency's name as it is now."""
    rows = []
    for row in meeting.attendance:
        own = row.get("name")
        agency = found.agency(row.get("agency_id"))
        name = own if own is not None else agency["name"] if agency else UNKNOWN_AGENCY
        rows.append({"agency_id": row.get("agency_id"), "name": name, "status": row["status"]})
    return {"attendance": rows}


ATTENDANCE = names.Inner(
    agency_ids=lambda m: (row.get("agency_id") for row in m.attendance), fields=_attendance
)


def summaries(
    session: Session, principal: Principal, meetings: Sequence[Meeting]
) -> list[MeetingRead]:
    derived = _derived(session, principal, meetings)
    return names.present(session, principal, meetings, MeetingRead, derived, ATTENDANCE)


# Whether a meeting has minutes, read with a page's rows: meetings still to be held have
# none, and a page of them needs no statement for its minutes.
HAS_MINUTES = exists().where(MeetingMinutes.meeting_id == Meeting.id).label("has_minutes")

# Lists serve meetings from their stored representations (`representations`); the minutes
# (a draft only for some readers, versioned apart from the meeting) and attendance are live.
REPRESENTED = store.register(
    Meeting,
    "meeting",
    MeetingRead,
    live=("minutes", "attendance"),
    needs=("held_at", "attendance"),
    derive=_derived,
    present=summaries,
    inner=ATTENDANCE,
    computed=(HAS_MINUTES,),
)


def detail(session: Session, principal: Principal, meeting: Meeting) -> MeetingDetail:
    """The meeting, its minutes as the caller may read them, and the actions it may see."""
    (summary,) = summaries(session, principal, [meeting])
    listed = None
    if Scope.actions_read in principal.scopes:
        listed = actions.for_meeting(session, principal, meeting.id)
    return MeetingDetail(**dict(summary), actions=listed)
