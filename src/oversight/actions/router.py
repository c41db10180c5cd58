"""HTTP for action items (`/actions`) and their progress log (`/actions/{id}/updates`)."""

import uuid
from typing import Annotated, Literal

from fastapi import Body, Query, Response
from fastapi.responses import JSONResponse

from oversight.actions import clock, progress, samples, service
from oversight.actions.repository import ActionFilters
from oversight.actions.schemas import (
    LINKS,
    ActionCreate,
    ActionPatch,
    ActionRead,
    ActionUpdateIn,
    ActionUpdateRead,
    ActionUpdateResult,
)
from oversight.actions.status import ActionStatus, Rag
from oversight.auth.principal import ActionsRead, ActionsWrite
from oversight.errors import responses
from oversight.web import paging
from oversight.web.etag import ExpectedVersion
from oversight.web.filters import AgencyFilter
from oversight.web.idempotency import IdempotencyDep
from oversight.web.paging import Page, PageDep
from oversight.web.routes import ItemRoutes, resource_router
from oversight.web.session import SessionDep
from oversight.web.timestamps import Day

router = resource_router("/actions", "Actions", "action")
action_routes = ItemRoutes(
    router, "action_id", ActionsWrite, ActionRead, show=lambda action: action
)

HIDDEN = "Answers 404 for an action the caller may not read, as for one that does not exist."
WHO = (
    "The owner agency's principals may change the status; editors of the creating agency "
    "may change anything, and alone may cancel or reinstate. Others: 403."
)


action_routes.create(
    service.create,
    ActionCreate,
    samples.CREATE_SAMPLES,
    summary="Create an action item",
    description="An open action of the caller's agency, owned by `owner_agency_id`. Editors "
    f"and partner systems with `actions:write`. Its `tlp` and recipients decide who else may "
    f"read it; the owner agency always can. {LINKS} Accepts `Idempotency-Key`.",
)


@router.get(
    "",
    response_model=Page[ActionRead],
    summary="List action items",
    description="Scope `actions:read`. "
    "The actions the caller may read (its own agency's as owner always), newest "
    "first; others are never listed or counted. `overdue=true` is the board's overdue view; "
    "`due_before` is exclusive.",
    responses=responses(400, 401, 403, 422),
)
def list_actions(
    session: SessionDep,
    principal: ActionsRead,
    page: PageDep,
    status: ActionStatus | None = None,
    owner_agency_id: AgencyFilter = None,
    assignee: Annotated[
        Literal["me"] | None, Query(description="`me`: the actions assigned to the caller")
    ] = None,
    meeting_id: uuid.UUID | None = None,
    bulletin_id: uuid.UUID | None = None,
    overdue: bool | None = None,
    due_before: Day | None = None,
    rag_status: Annotated[
        Rag | None, Query(description="Open actions of this RAG status (as `rag_status`)")
    ] = None,
    sort: Annotated[
        Literal["created_at", "due_date"],
        Query(description="`created_at`: newest first; `due_date`: soonest due first"),
    ] = "created_at",
) -> Response:
    filters = ActionFilters(
        today=clock.today(),
        status=status,
        owner_agency_id=owner_agency_id,
        assignee_id=principal.id if assignee == "me" else None,
        meeting_id=meeting_id,
        bulletin_id=bulletin_id,
        overdue=overdue,
        due_before=due_before,
        rag=rag_status,
        by_due_date=sort == "due_date",
    )
    return paging.respond_json(page, service.listing(session, principal, filters, page.slice))


action_routes.get(
    service.get,
    ActionsRead,
    summary="Read an action item",
    description=f"Scope `actions:read`. {HIDDEN} Sets `ETag`.",
)


action_routes.step(
    "PATCH",
    "/{action_id}",
    "patch_action",
    service.patch,
    Annotated[ActionPatch, Body(openapi_examples=samples.PATCH_SAMPLES)],
    summary="Edit, reclassify or move an action item",
    description=f"Scope `actions:write`. "
    f"{WHO} Needs `If-Match`. A status change is also written to the progress "
    "log; reopening a done action needs a `note`. An illegal transition is 409 and names "
    f"the allowed ones. {LINKS} {HIDDEN}",
    responses=responses(401, 403, 404, 409, 412, 422, 428),
)


@router.post(
    "/{action_id}/updates",
    status_code=201,
    response_model=ActionUpdateResult,
    summary="Post progress on an action item",
    description=f"Scope `actions:write`. "
    f"Appends a note to the progress log, moving the status when `status` is "
    f"given. {WHO} Needs the action's `If-Match` (the answer carries the action's new "
    f"`version`); accepts `Idempotency-Key`. {HIDDEN}",
    responses=responses(401, 403, 404, 409, 412, 422, 428),
)
def post_update(
    action_id: uuid.UUID,
    body: Annotated[ActionUpdateIn, Body(openapi_examples=samples.UPDATE_SAMPLES)],
    session: SessionDep,
    principal: ActionsWrite,
    expected_version: ExpectedVersion,
    idem: IdempotencyDep,
) -> JSONResponse:
    return idem.respond(
        session,
        principal,
        lambda: progress.add_update(session, principal, action_id, body, expected_version),
        at=("list_updates", "action_id"),
        at_id=action_id,
    )


action_routes.children(
    "/{action_id}/updates",
    "list_updates",
    progress.updates,
    ActionUpdateRead,
    principal=ActionsRead,
    summary="The progress log of an action item",
    description=f"Scope `actions:read`. Newest first; append-only. {HIDDEN}",
    responses=responses(400, 401, 403, 404),
)
