"""/users: admins manage every agency's people, agency admins their own agency's."""

import uuid
from typing import Annotated

from fastapi import Query

from oversight.accounts.models import User
from oversight.auth.principal import AdminScope
from oversight.auth.scopes import Role
from oversight.errors import responses
from oversight.users import service
from oversight.users.schemas import PasswordReset, UserCreate, UserCreated, UserRead, UserUpdate
from oversight.web import paging
from oversight.web.etag import ExpectedVersion
from oversight.web.filters import AgencyFilter
from oversight.web.paging import Page, PageDep
from oversight.web.routes import ItemRoutes, resource_router
from oversight.web.session import SessionDep

router = resource_router("/users", "Users", "user")
user_routes = ItemRoutes(router, "user_id", AdminScope, UserRead)

WHO = (
    "Scope `admin`: an `admin` for every agency, an `agency_admin` for its own agency only "
    "(another agency's users answer 404)."
)


@router.get(
    "",
    response_model=Page[UserRead],
    summary="List users",
    description=f"Newest first. {WHO}",
    responses=responses(400, 401, 403, 422),
)
def list_users(
    session: SessionDep,
    principal: AdminScope,
    page: PageDep,
    agency_id: AgencyFilter = None,
    role: Annotated[Role | None, Query()] = None,
    is_active: Annotated[bool | None, Query()] = None,
) -> Page[UserRead]:
    return paging.respond(
        page,
        service.listing(session, principal, page.slice, agency_id, is_active, role=role),
        UserRead.model_validate,
    )


def _created(made: tuple[User, str | None]) -> UserCreated:
    user, password = made
    return UserCreated.model_validate(user).model_copy(update={"password": password})


user_routes.create(
    service.create,
    UserCreate,
    answer=UserCreated,
    show=_created,
    secret_fields=frozenset({"password"}),
    summary="Create a user",
    description=f"{WHO} An agency admin may not grant `admin` or `auditor` (403). Without a "
    "`password`, one is generated and returned once in this response. A taken email is 409.",
)


user_routes.get(
    service.get,
    AdminScope,
    summary="Read a user",
    description=f"{WHO} The `ETag` is the version for `If-Match`.",
    responses=responses(401, 403, 404, 422),
)


user_routes.step(
    "PATCH",
    "/{user_id}",
    "update_user",
    service.update,
    UserUpdate,
    summary="Change a user's email, name or roles",
    description=f"{WHO} Needs `If-Match`. An agency admin may neither grant nor take away "
    "`admin` or `auditor`, nor change a user holding them (403). Role changes are audited "
    "and take effect on the user's next request.",
    responses=responses(401, 403, 404, 409, 412, 422, 428),
)


user_routes.step(
    "POST",
    "/{user_id}/disable",
    "disable_user",
    service.disable,
    summary="Disable a user",
    description=f"{WHO} Every token the user holds stops working on the next request. "
    "You cannot disable yourself, nor the last active admin (409). `If-Match` is checked "
    "when sent.",
    responses=responses(401, 403, 404, 409, 412),
)


user_routes.step(
    "POST",
    "/{user_id}/enable",
    "enable_user",
    service.enable,
    summary="Enable a disabled user",
    description=f"{WHO} `If-Match` is checked when sent.",
    responses=responses(401, 403, 404, 412),
)


@router.post(
    "/{user_id}/reset-password",
    response_model=PasswordReset,
    summary="Reset a user's password",
    description=f"{WHO} Sets a generated password, returned only in this response; every "
    "token the user held stops working. `If-Match` is checked when sent.",
    responses=responses(401, 403, 404, 412),
)
def reset_password(
    session: SessionDep,
    principal: AdminScope,
    user_id: uuid.UUID,
    expected_version: ExpectedVersion,
) -> PasswordReset:
    user, password = service.reset_password(session, principal, user_id, expected_version)
    return PasswordReset(user_id=user.id, password=password)
