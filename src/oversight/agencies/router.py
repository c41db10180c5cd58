"""/agencies: the member organisations; any principal reads them, admins change them."""

from typing import Annotated

from fastapi import Query

from oversight.accounts.models import AgencyStatus, Sector
from oversight.agencies import service
from oversight.agencies.schemas import AgencyCreate, AgencyRead, AgencyUpdate
from oversight.auth.principal import AdminScope, AnyPrincipal
from oversight.errors import responses
from oversight.web import paging
from oversight.web.paging import Page, PageDep
from oversight.web.routes import ItemRoutes, resource_router
from oversight.web.session import SessionDep

router = resource_router("/agencies", "Agencies", "agency")
agency_routes = ItemRoutes(router, "agency_id", AdminScope, AgencyRead)


@router.get(
    "",
    response_model=Page[AgencyRead],
    summary="List agencies",
    description="Every member agency, by name. Any authenticated principal.",
    responses=responses(400, 401, 422),
)
def list_agencies(
    session: SessionDep,
    principal: AnyPrincipal,
    page: PageDep,
    status: Annotated[AgencyStatus | None, Query()] = None,
    sector: Annotated[Sector | None, Query()] = None,
) -> Page[AgencyRead]:
    return paging.respond(
        page, service.listing(session, page.slice, status, sector), AgencyRead.model_validate
    )


agency_routes.create(
    service.create,
    AgencyCreate,
    summary="Create an agency",
    description="Scope `admin`, role `admin`. A missing `slug` is made from the name.",
)


agency_routes.get(
    lambda session, principal, agency_id: service.get(session, agency_id),
    AnyPrincipal,
    summary="Read an agency",
    description="Any authenticated principal. The `ETag` is the version for `If-Match`.",
    responses=responses(401, 404, 422),
)


agency_routes.step(
    "PATCH",
    "/{agency_id}",
    "update_agency",
    service.update,
    AgencyUpdate,
    summary="Change an agency",
    description="Scope `admin`, role `admin`; needs `If-Match`. Suspension has its own action.",
    responses=responses(401, 403, 404, 409, 412, 422, 428),
)


agency_routes.step(
    "POST",
    "/{agency_id}/suspend",
    "suspend_agency",
    service.suspend,
    summary="Suspend an agency",
    description="Scope `admin`, role `admin`. Every token of the agency's users and service "
    "accounts stops working on the next request, for good (after a reinstatement they log in "
    "afresh), and they cannot log in. `If-Match` is checked when sent. Suspending your own "
    "agency is refused (409).",
    responses=responses(401, 403, 404, 409, 412),
)


agency_routes.step(
    "POST",
    "/{agency_id}/reinstate",
    "reinstate_agency",
    service.reinstate,
    summary="Reinstate a suspended agency",
    description="Scope `admin`, role `admin`. `If-Match` is checked when sent.",
    responses=responses(401, 403, 404, 412),
)
