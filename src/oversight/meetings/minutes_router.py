"""HTTP for a meeting's minutes: write the draft, approve, publish, reopen, revisions."""

import uuid

from fastapi import APIRouter, Response

from oversight.auth.principal import MeetingsRead, MeetingsWrite
from oversight.errors import responses
from oversight.meetings import minutes_service as minutes
from oversight.meetings.router import HIDDEN, respond
from oversight.meetings.schemas import MeetingDetail, MinutesIn, MinutesRead, ReopenIn
from oversight.web import paging
from oversight.web.etag import ExpectedVersion
from oversight.web.paging import Page, PageDep
from oversight.web.session import SessionDep

router = APIRouter(prefix="/meetings/{meeting_id}/minutes", tags=["Meetings"])

APPROVERS = "The meeting's chair or an editor of the owning agency (a person, not a partner system)"
WRITES = responses(401, 403, 404, 409, 412, 428)


@router.put(
    "",
    response_model=MeetingDetail,
    summary="Write the draft minutes",
    description="Scope `meetings:write`. "
    "Body (Markdown) and decisions. Only while the minutes are a draft: approved "
    "or published minutes answer 409 and must be reopened first. Editors of the owning "
    "agency; needs the meeting's `If-Match`. Answers the meeting with its new `ETag`. "
    f"{HIDDEN}",
    responses=responses(401, 403, 404, 409, 412, 422, 428),
)
def put_minutes(
    meeting_id: uuid.UUID,
    body: MinutesIn,
    session: SessionDep,
    principal: MeetingsWrite,
    response: Response,
    expected_version: ExpectedVersion,
) -> MeetingDetail:
    meeting = minutes.write(session, principal, meeting_id, body, expected_version)
    return respond(response, meeting)


@router.post(
    "/approve",
    response_model=MeetingDetail,
    summary="Approve the draft minutes",
    description=f"Scope `meetings:read` (a chair need not be an editor); the rule below decides. "
    f"{APPROVERS}, who did not write the current draft (four eyes: approving "
    "your own draft is 403, even as chair). Needs the meeting's `If-Match`, so what is "
    f"approved is the text the approver read. {HIDDEN}",
    responses=WRITES,
)
def approve_minutes(
    meeting_id: uuid.UUID,
    session: SessionDep,
    principal: MeetingsRead,
    response: Response,
    expected_version: ExpectedVersion,
) -> MeetingDetail:
    meeting = minutes.approve(session, principal, meeting_id, expected_version)
    return respond(response, meeting)


@router.post(
    "/publish",
    response_model=MeetingDetail,
    summary="Publish approved minutes",
    description=f"Scope `meetings:read` (a chair need not be an editor); the rule below decides. "
    f"{APPROVERS}. Draft minutes must be approved first (409). Needs `If-Match`. "
    f"{HIDDEN}",
    responses=WRITES,
)
def publish_minutes(
    meeting_id: uuid.UUID,
    session: SessionDep,
    principal: MeetingsRead,
    response: Response,
    expected_version: ExpectedVersion,
) -> MeetingDetail:
    meeting = minutes.publish(session, principal, meeting_id, expected_version)
    return respond(response, meeting)


@router.post(
    "/reopen",
    response_model=MeetingDetail,
    summary="Reopen approved minutes",
    description=f"Scope `meetings:read` (a chair need not be an editor); the rule below decides. "
    f"{APPROVERS}. Starts a new draft version from the approved text, keeping "
    "the reason; the approved version stays readable in `…/minutes/revisions`. Needs "
    f"`If-Match`. {HIDDEN}",
    responses=responses(401, 403, 404, 409, 412, 422, 428),
)
def reopen_minutes(
    meeting_id: uuid.UUID,
    body: ReopenIn,
    session: SessionDep,
    principal: MeetingsRead,
    response: Response,
    expected_version: ExpectedVersion,
) -> MeetingDetail:
    meeting = minutes.reopen(session, principal, meeting_id, body.reason, expected_version)
    return respond(response, meeting)


@router.get(
    "/revisions",
    response_model=Page[MinutesRead],
    summary="Approved versions of the minutes",
    description="Scope `meetings:read`. "
    "Every version that was approved (and possibly published), newest first; "
    "to whoever may read the meeting (404 otherwise).",
    responses=responses(400, 401, 403, 404),
)
def minutes_revisions(
    meeting_id: uuid.UUID,
    session: SessionDep,
    principal: MeetingsRead,
    page: PageDep,
    response: Response,
) -> Page[MinutesRead]:
    rows, last = minutes.revisions(session, principal, meeting_id, page.slice)
    return paging.respond(response, page, rows, last, MinutesRead.model_validate)
