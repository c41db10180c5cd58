"""/service-accounts: partner systems, managed with the same reach as users."""

from typing import Annotated

from fastapi import Query

from oversight.accounts.models import ServiceAccount
from oversight.auth.principal import AdminScope
from oversight.errors import responses
from oversight.service_accounts import service
from oversight.service_accounts.schemas import (
    ServiceAccountCreate,
    ServiceAccountRead,
    ServiceAccountSecret,
)
from oversight.web import paging
from oversight.web.filters import AgencyFilter
from oversight.web.paging import Page, PageDep
from oversight.web.routes import ItemRoutes, resource_router
from oversight.web.session import SessionDep

router = resource_router("/service-accounts", "Service accounts", "service_account")

WHO = (
    "Scope `admin`: an `admin` for every agency, an `agency_admin` for its own agency only "
    "(another agency's accounts answer 404)."
)


def _with_secret(sa: ServiceAccount, secret: str) -> ServiceAccountSecret:
    return ServiceAccountSecret.model_validate(
        ServiceAccountRead.model_validate(sa).model_dump() | {"client_secret": secret}
    )


sa_routes = ItemRoutes(
    router,
    "sa_id",
    AdminScope,
    ServiceAccountSecret,
    show=lambda made: _with_secret(*made),
    noun="service_account",
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


sa_routes.create(
    service.create,
    ServiceAccountCreate,
    summary="Create a service account",
    description=f"{WHO} The `client_secret` is in this response only; the service keeps its "
    "hash. Scopes outside the grantable set are 422.",
    responses=responses(401, 403, 422),
    secret_fields=frozenset({"client_secret"}),
)


sa_routes.get(
    service.get,
    AdminScope,
    answer=ServiceAccountRead,
    show=ServiceAccountRead.model_validate,
    summary="Read a service account",
    description=f"{WHO} The `ETag` is the version for `If-Match`.",
    responses=responses(401, 403, 404, 422),
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


sa_routes.delete(
    "revoke_service_account",
    lambda s, p, i, v: service.revoke(s, p, i, v, version_required=True),
    summary="Revoke a service account",
    description=f"{WHO} Needs `If-Match`. The account's tokens stop working on the next "
    "request and its credentials never work again; it stays listed as revoked.",
    responses=responses(401, 403, 404, 412, 428),
)
