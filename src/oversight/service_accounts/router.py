"""/service-accounts: partner systems, managed with the same reach as users."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status
from fastapi.responses import JSONResponse

from oversight.auth.principal import AdminScope
from oversight.errors import responses
from oversight.service_accounts import service
from oversight.service_accounts.models import ServiceAccount
from oversight.service_accounts.schemas import (
    ServiceAccountCreate,
    ServiceAccountRead,
    ServiceAccountSecret,
)
from oversight.web import paging
from oversight.web.etag import ExpectedVersion, TaggedDep
from oversight.web.filters import AgencyFilter
from oversight.web.idempotency import IdempotencyDep
from oversight.web.operation_ids import ids
from oversight.web.paging import Page, PageDep
from oversight.web.routes import ItemRoutes
from oversight.web.session import SessionDep

router = APIRouter(
    prefix="/service-accounts",
    tags=["Service accounts"],
    generate_unique_id_function=ids("service_accounts", "service_accounts", "service_account"),
)

WHO = (
    "Scope `admin`: an `admin` for every agency, an `agency_admin` for its own agency only "
    "(another agency's accounts answer 404)."
)


def _with_secret(sa: ServiceAccount, secret: str) -> ServiceAccountSecret:
    return ServiceAccountSecret.model_validate(
        ServiceAccountRead.model_validate(sa).model_dump() | {"client_secret": secret}
    )


@router.get(
    "",
    response_model=Page[ServiceAccountRead],
    summary="List service accounts",
    description=f"Newest first, revoked ones included unless `is_active` filters them. {WHO}",
    responses=responses(400, 401, 403, 422),
)
def list_service_accounts(
    session: SessionDep,
    principal: AdminScope,
    page: PageDep,
    agency_id: AgencyFilter = None,
    is_active: Annotated[bool | None, Query()] = None,
) -> Page[ServiceAccountRead]:
    return paging.respond(
        page,
        service.listing(session, principal, page.slice, agency_id, is_active),
        ServiceAccountRead.model_validate,
    )


@router.post(
    "",
    status_code=201,
    response_model=ServiceAccountSecret,
    summary="Create a service account",
    description=f"{WHO} The `client_secret` is in this response only; the service keeps its "
    "hash. Scopes outside the grantable set are 422.",
    responses=responses(401, 403, 422),
)
def create_service_account(
    session: SessionDep,
    principal: AdminScope,
    idem: IdempotencyDep,
    body: ServiceAccountCreate,
) -> JSONResponse:
    def produce() -> ServiceAccountSecret:
        return _with_secret(*service.create(session, principal, body))

    return idem.respond(
        session,
        principal,
        produce,
        at=("get_service_account", "sa_id"),
        secret_fields=frozenset({"client_secret"}),
    )


@router.get(
    "/{sa_id}",
    response_model=ServiceAccountRead,
    summary="Read a service account",
    description=f"{WHO} The `ETag` is the version for `If-Match`.",
    responses=responses(401, 403, 404, 422),
)
def get_service_account(
    session: SessionDep, principal: AdminScope, tagged: TaggedDep, sa_id: uuid.UUID
) -> ServiceAccountRead:
    return tagged(ServiceAccountRead.model_validate(service.get(session, principal, sa_id)))


sa_routes = ItemRoutes(
    router, "sa_id", AdminScope, ServiceAccountSecret, show=lambda rotated: _with_secret(*rotated)
)


sa_routes.step(
    "POST",
    "/{sa_id}/rotate-secret",
    "rotate_secret",
    service.rotate_secret,
    summary="Rotate the client secret",
    description=f"{WHO} The new `client_secret` is in this response only; the old secret "
    "and every token issued with it stop working at once. `If-Match` is checked when sent.",
    responses=responses(401, 403, 404, 409, 412),
)


@router.delete(
    "/{sa_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Revoke a service account",
    description=f"{WHO} Needs `If-Match`. The account's tokens stop working on the next "
    "request and its credentials never work again; it stays listed as revoked.",
    responses=responses(401, 403, 404, 412, 428),
)
def revoke_service_account(
    session: SessionDep, principal: AdminScope, sa_id: uuid.UUID, expected_version: ExpectedVersion
) -> Response:
    service.revoke(session, principal, sa_id, expected_version, version_required=True)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
