"""GET /me and POST /me/password: the caller's own identity."""

from fastapi import APIRouter, Request, Response, status

from oversight.agencies.models import Agency
from oversight.auth import service
from oversight.auth.principal import AnyPrincipal
from oversight.auth.schemas import MeAgency, MeRead, PasswordChange
from oversight.db import SessionDep
from oversight.errors import responses
from oversight.service_accounts.models import ServiceAccount
from oversight.users.models import User

router = APIRouter(prefix="/me", tags=["Me"])


@router.get(
    "",
    response_model=MeRead,
    summary="Who am I",
    description="The caller (a user or a service account), its agency, roles and the scopes "
    "its token carries. Any authenticated principal.",
    responses=responses(401),
)
def me(session: SessionDep, principal: AnyPrincipal) -> MeRead:
    agency = session.get_one(Agency, principal.agency_id)
    agency_out = MeAgency.model_validate(agency, from_attributes=True)
    if principal.kind == "user":
        user = session.get_one(User, principal.id)
        return MeRead(
            kind="user",
            id=user.id,
            display_name=user.display_name,
            email=user.email,
            agency=agency_out,
            roles=sorted(user.roles),
            scopes=sorted(principal.scopes),
        )
    sa = session.get_one(ServiceAccount, principal.id)
    return MeRead(
        kind="service",
        id=sa.id,
        display_name=sa.name,
        client_id=sa.client_id,
        agency=agency_out,
        roles=[],
        scopes=sorted(principal.scopes),
    )


@router.post(
    "/password",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Change my password",
    description="Needs the current password. Every token issued before stops working, "
    "so log in again afterwards. Any authenticated user (a service account has no "
    "password: 403).",
    responses=responses(401, 403, 422, 429),
)
def change_password(
    request: Request, session: SessionDep, principal: AnyPrincipal, body: PasswordChange
) -> Response:
    service.change_password(
        session, request.app.state.settings, principal, body.current_password, body.new_password
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)
