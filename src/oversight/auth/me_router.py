"""GET /me and POST /me/password: the caller's own identity."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response, status

from oversight.auth import identity, password_change
from oversight.auth.passwords import hash_password, verify_password
from oversight.auth.principal import AnyPrincipal, claims_of, oauth2
from oversight.auth.router import answer, caller_of
from oversight.auth.schemas import MeRead, PasswordChange
from oversight.errors import responses
from oversight.web.admission import in_unit
from oversight.web.operation_ids import ids
from oversight.web.session import SessionDep

router = APIRouter(prefix="/me", tags=["Me"], generate_unique_id_function=ids("me", "me"))


@router.get(
    "",
    response_model=MeRead,
    summary="Who am I",
    description="The caller (a user or a service account), its agency, roles and the scopes "
    "its token carries. Any authenticated principal.",
    responses=responses(401),
)
def me(session: SessionDep, principal: AnyPrincipal) -> MeRead:
    return identity.whoami(session, principal)


@router.post(
    "/password",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Change my password",
    description="Needs the current password. Every token issued before stops working, "
    "so log in again afterwards. Wrong current passwords count towards the account's lockout "
    "like failed logins. Any authenticated user (a service account has no password: 403).",
    responses=responses(401, 403, 409, 422, 429),
)
async def change_password(
    request: Request,
    body: PasswordChange,
    token: Annotated[str | None, Depends(oauth2)],
) -> Response:
    """Two short transactions around the hashes, which hold no slot and no transaction."""
    caller = caller_of(request)
    claims = claims_of(request, token)
    started = answer(await in_unit(request, lambda s: password_change.start(s, caller, claims)))

    def hashes() -> tuple[bool, str | None]:
        ok = verify_password(body.current_password, started.password_hash)
        return ok, hash_password(body.new_password) if ok else None

    verified, new_hash = await request.app.state.admission.hash(hashes)
    answer(
        await in_unit(
            request,
            lambda s: password_change.finish(s, caller, claims, started, verified, new_hash),
        )
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)
