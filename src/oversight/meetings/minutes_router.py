"""HTTP for a meeting's minutes: write the draft, approve, publish, reopen, revisions."""

from fastapi import APIRouter

from oversight.auth.principal import MeetingsRead, MeetingsWrite
from oversight.errors import responses
from oversight.meetings import minutes_service as minutes
from oversight.meetings.router import HIDDEN
from oversight.meetings.schemas import MeetingDetail, MinutesIn, MinutesRead, ReopenIn
from oversight.web.operation_ids import ids
from oversight.web.routes import ItemRoutes, with_reason

router = APIRouter(
    prefix="/meetings/{meeting_id}/minutes",
    tags=["Meetings"],
    generate_unique_id_function=ids("minutes", "minutes"),
)

APPROVERS = "The meeting's chair or an editor of the owning agency (a person, not a partner system)"
WRITES = responses(401, 403, 404, 409, 412, 428)


meeting_routes = ItemRoutes(
    router, "meeting_id", MeetingsRead, MeetingDetail, show=lambda meeting: meeting
)


meeting_routes.step(
    "PUT",
    "",
    "put_minutes",
    minutes.write,
    MinutesIn,
    principal=MeetingsWrite,
    summary="Write the draft minutes",
    description="Scope `meetings:write`. "
    "Body (Markdown) and decisions. Only while the minutes are a draft: approved "
    "or published minutes answer 409 and must be reopened first. Editors of the owning "
    "agency; needs the meeting's `If-Match`. Answers the meeting with its new `ETag`. "
    f"{HIDDEN}",
    responses=responses(401, 403, 404, 409, 412, 422, 428),
)


meeting_routes.step(
    "POST",
    "/approve",
    "approve_minutes",
    minutes.approve,
    summary="Approve the draft minutes",
    description=f"Scope `meetings:read` (a chair need not be an editor); the rule below decides. "
    f"{APPROVERS}, who did not write the current draft (four eyes: approving "
    "your own draft is 403, even as chair). Needs the meeting's `If-Match`, so what is "
    f"approved is the text the approver read. {HIDDEN}",
    responses=WRITES,
)


meeting_routes.step(
    "POST",
    "/publish",
    "publish_minutes",
    minutes.publish,
    summary="Publish approved minutes",
    description=f"Scope `meetings:read` (a chair need not be an editor); the rule below decides. "
    f"{APPROVERS}. Draft minutes must be approved first (409). Needs `If-Match`. "
    f"{HIDDEN}",
    responses=WRITES,
)


meeting_routes.step(
    "POST",
    "/reopen",
    "reopen_minutes",
    with_reason(minutes.reopen),
    ReopenIn,
    summary="Reopen approved minutes",
    description=f"Scope `meetings:read` (a chair need not be an editor); the rule below decides. "
    f"{APPROVERS}. Starts a new draft version from the approved text, keeping "
    "the reason; the approved version stays readable in `…/minutes/revisions`. Needs "
    f"`If-Match`. {HIDDEN}",
    responses=responses(401, 403, 404, 409, 412, 422, 428),
)


meeting_routes.children(
    "/revisions",
    "minutes_revisions",
    minutes.revisions,
    MinutesRead,
    summary="Approved versions of the minutes",
    description="Scope `meetings:read`. "
    "Every version that was approved (and possibly published), newest first; "
    "to whoever may read the meeting (404 otherwise).",
    responses=responses(400, 401, 403, 404),
)
