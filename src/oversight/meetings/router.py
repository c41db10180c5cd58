"""HTTP for meetings (`/meetings`) and their attendance; minutes are in `minutes_router`."""

from typing import Annotated

from fastapi import Body

from oversight.auth.principal import MeetingsRead, MeetingsWrite
from oversight.errors import responses
from oversight.meetings import samples, service
from oversight.meetings.schemas import (
    Attendance,
    MeetingCreate,
    MeetingDetail,
    MeetingFilters,
    MeetingPatch,
    MeetingRead,
)
from oversight.web.routes import ItemRoutes, resource_router

router = resource_router("/meetings", "Meetings", "meeting")
meeting_routes = ItemRoutes(
    router, "meeting_id", MeetingsWrite, MeetingDetail, show=lambda meeting: meeting
)

HIDDEN = "Answers 404 for a meeting the caller may not read, as for one that does not exist."


meeting_routes.create(
    service.create,
    MeetingCreate,
    samples.CREATE_SAMPLES,
    summary="Create a meeting",
    description="A meeting owned by the caller's agency, classified like any item: its `tlp` "
    "and recipients decide who may read it, its agenda and its minutes. Editors and partner "
    "systems with `meetings:write`. Accepts `Idempotency-Key`.",
)


meeting_routes.listing(
    service.listing,
    MeetingFilters,
    MeetingRead,
    principal=MeetingsRead,
    serialised=True,
    summary="List meetings",
    description="Scope `meetings:read`. "
    "The meetings the caller's classification allows, latest `held_at` first; others are "
    "never listed or counted. "
    "`from` (inclusive) and `to` (exclusive) bound `held_at`.",
    responses=responses(400, 401, 403, 422),
)


meeting_routes.get(
    service.get,
    MeetingsRead,
    summary="Read a meeting",
    description=f"Scope `meetings:read`. "
    f"With its minutes and the action items the caller may see. {HIDDEN} "
    "Sets `ETag`, which every change of the meeting, its attendance or minutes needs.",
)


meeting_routes.step(
    "PATCH",
    "/{meeting_id}",
    "patch_meeting",
    service.patch,
    MeetingPatch,
    summary="Edit or reclassify a meeting",
    description="Scope `meetings:write`. Editors of the owning agency; needs `If-Match`. Only "
    f"they may change its classification, and every change is audited. {HIDDEN}",
    responses=responses(401, 403, 404, 412, 422, 428),
)


meeting_routes.step(
    "PUT",
    "/{meeting_id}/attendance",
    "put_attendance",
    service.put_attendance,
    Annotated[Attendance, Body(openapi_examples=samples.ATTENDANCE_SAMPLES)],
    summary="Record attendance",
    description="Scope `meetings:write`. "
    "Replaces the whole attendance list: per agency and/or person, `present`, "
    f"`apologies` or `absent`. Editors of the owning agency; needs `If-Match`. {HIDDEN}",
    responses=responses(401, 403, 404, 412, 422, 428),
)
