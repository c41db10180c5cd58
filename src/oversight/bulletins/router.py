"""HTTP for threat bulletins (`/bulletins`) and the public feed (`/public/bulletins`)."""

from typing import Annotated

from fastapi import Body, Query, Request, Response

from oversight.auth.principal import BulletinsRead, BulletinsWrite
from oversight.bulletins import samples, service
from oversight.bulletins.schemas import (
    BulletinCreate,
    BulletinFilters,
    BulletinRead,
    BulletinUpdate,
    RevisionRead,
    Withdrawal,
)
from oversight.errors import responses
from oversight.web import paging
from oversight.web.paging import Page, PageDep
from oversight.web.routes import ItemRoutes, resource_router, with_reason
from oversight.web.session import SessionDep

router = resource_router("/bulletins", "Bulletins", "bulletin")
bulletin_routes = ItemRoutes(router, "bulletin_id", BulletinsWrite, BulletinRead)

HIDDEN = "A bulletin the caller may not read answers 404, as one that does not exist."


bulletin_routes.create(
    service.create,
    BulletinCreate,
    samples.CREATE_SAMPLES,
    summary="Create a bulletin (a draft)",
    description="A new draft owned by the caller's agency. Editors and partner systems with "
    "`bulletins:write`; a service account may not create RED. Until it is published only its "
    "author and the agency's editors read it; then its `tlp` and recipients decide who may. "
    "Accepts `Idempotency-Key`.",
)


@router.get(
    "",
    response_model=Page[BulletinRead],
    summary="List bulletins",
    description="The bulletins the caller's classification allows, newest first; those it may "
    "not read are never listed or counted. `q` searches title, summary and body (every word "
    "must appear).",
    responses=responses(400, 401, 403),
)
def list_bulletins(
    request: Request,
    session: SessionDep,
    principal: BulletinsRead,
    page: PageDep,
    filters: Annotated[BulletinFilters, Query()],
) -> Response:
    plan = request.app.state.search_plan
    listed = service.listing(session, principal, filters, page.slice, plan)
    return paging.respond_json(page, listed)


bulletin_routes.get(
    service.get,
    BulletinsRead,
    summary="Read a bulletin",
    description="Answers 404 for a bulletin the caller may not read, as for one that does not "
    "exist. Sets `ETag`.",
)


bulletin_routes.step(
    "PATCH",
    "/{bulletin_id}",
    "update_bulletin",
    service.update,
    Annotated[BulletinUpdate, Body(openapi_examples=samples.UPDATE_SAMPLES)],
    summary="Edit or reclassify a bulletin",
    description="Editors of the owning agency; needs `If-Match`. Each edit of a published "
    "bulletin is kept as a new revision. A withdrawn bulletin cannot be edited. Only they may "
    f"change its classification, and every change is audited. {HIDDEN}",
    responses=responses(401, 403, 404, 409, 412, 422, 428),
)


bulletin_routes.step(
    "POST",
    "/{bulletin_id}/publish",
    "publish_bulletin",
    service.publish,
    summary="Publish a draft",
    description="Editors of the owning agency; needs `If-Match`. From then on its `tlp` and "
    f"recipients decide who may read it. {HIDDEN}",
    responses=responses(401, 403, 404, 409, 412, 428),
)


bulletin_routes.step(
    "POST",
    "/{bulletin_id}/withdraw",
    "withdraw_bulletin",
    with_reason(service.withdraw),
    Withdrawal,
    summary="Withdraw a published bulletin",
    description="Editors of the owning agency; needs `If-Match` and a `reason`. Its readers "
    f"still see it, marked withdrawn with the reason. {HIDDEN}",
    responses=responses(401, 403, 404, 409, 412, 422, 428),
)


bulletin_routes.children(
    "/{bulletin_id}/revisions",
    "list_revisions",
    service.revisions,
    RevisionRead,
    principal=BulletinsRead,
    summary="Published revisions of a bulletin",
    description=f"Newest first; number 1 is the text as first published. {HIDDEN}",
    responses=responses(400, 401, 403, 404),
)
