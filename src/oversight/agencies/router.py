"""/agencies: the member organisations; any principal reads them, admins change them."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse

from oversight.agencies import service
from oversight.agencies.models import Agency, AgencyStatus, Sector
from oversight.agencies.schemas import AgencyCreate, AgencyRead, AgencyUpdate
from oversight.auth.principal import AdminScope, AnyPrincipal
from oversight.errors import responses
from oversight.web import paging
from oversight.web.etag import ExpectedVersion, set_etag
from oversight.web.idempotency import IdempotencyDep
from oversight.web.location import location
from oversight.web.paging import Page, PageDep
from oversight.web.session import SessionDep

router = APIRouter(prefix="/agencies", tags=["Agencies"])


def _read(response: Response, agency: Agency) -> AgencyRead:
    set_etag(response, agency.version)
    return AgencyRead.model_validate(agency)


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
    response: Response,
    status: Annotated[AgencyStatus | None, Query()] = None,
    sector: Annotated[Sector | None, Query()] = None,
) -> Page[AgencyRead]:
    rows, last = service.listing(session, page.slice, status, sector)
    return paging.respond(response, page, rows, last, AgencyRead.model_validate)


@router.post(
    "",
    status_code=201,
    response_model=AgencyRead,
    summary="Create an agency",
    description="Scope `admin`, role `admin`. A missing `slug` is made from the name.",
    responses=responses(401, 403, 409, 422),
)
def create_agency(
    request: Request,
    session: SessionDep,
    principal: AdminScope,
    idem: IdempotencyDep,
    body: AgencyCreate,
) -> JSONResponse:
    return idem.respond(
        session,
        principal,
        lambda: AgencyRead.model_validate(service.create(session, principal, body)),
        location=lambda out: location(request, "get_agency", agency_id=out.id),
    )


@router.get(
    "/{agency_id}",
    response_model=AgencyRead,
    summary="Read an agency",
    description="Any authenticated principal. The `ETag` is the version for `If-Match`.",
    responses=responses(401, 404, 422),
)
def get_agency(
    session: SessionDep, principal: AnyPrincipal, response: Response, agency_id: uuid.UUID
) -> AgencyRead:
    return _read(response, service.get(session, agency_id))


@router.patch(
    "/{agency_id}",
    response_model=AgencyRead,
    summary="Change an agency",
    description="Scope `admin`, role `admin`; needs `If-Match`. Suspension has its own action.",
    responses=responses(401, 403, 404, 409, 412, 422, 428),
)
def update_agency(
    session: SessionDep,
    principal: AdminScope,
    response: Response,
    agency_id: uuid.UUID,
    body: AgencyUpdate,
    expected_version: ExpectedVersion,
) -> AgencyRead:
    agency = service.update(session, principal, agency_id, body, expected_version)
    return _read(response, agency)


@router.post(
    "/{agency_id}/suspend",
    response_model=AgencyRead,
    summary="Suspend an agency",
    description="Scope `admin`, role `admin`. Every token of the agency's users and service "
    "accounts stops working on the next request, for good (after a reinstatement they log in "
    "afresh), and they cannot log in. `If-Match` is checked when sent. Suspending your own "
    "agency is refused (409).",
    responses=responses(401, 403, 404, 409, 412),
)
def suspend_agency(
    session: SessionDep,
    principal: AdminScope,
    response: Response,
    agency_id: uuid.UUID,
    expected_version: ExpectedVersion,
) -> AgencyRead:
    return _read(response, service.suspend(session, principal, agency_id, expected_version))


@router.post(
    "/{agency_id}/reinstate",
    response_model=AgencyRead,
    summary="Reinstate a suspended agency",
    description="Scope `admin`, role `admin`. `If-Match` is checked when sent.",
    responses=responses(401, 403, 404, 412),
)
def reinstate_agency(
    session: SessionDep,
    principal: AdminScope,
    response: Response,
    agency_id: uuid.UUID,
    expected_version: ExpectedVersion,
) -> AgencyRead:
    return _read(response, service.reinstate(session, principal, agency_id, expected_version))
