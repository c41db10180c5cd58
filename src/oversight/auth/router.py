"""POST /auth/token (password, client_credentials, refresh_token), /auth/revoke, /auth/logout."""

import base64
import binascii
from typing import Annotated, TypeVar

from fastapi import APIRouter, Form, Request, Response, status

from oversight.auth import grants, revocation, user_grants
from oversight.auth.grants import Caller, OAuthError, TokenGrant
from oversight.auth.passwords import verify_password
from oversight.auth.principal import AnyPrincipal
from oversight.auth.schemas import TokenResponse
from oversight.auth.strength import MAX_PASSWORD_LENGTH
from oversight.errors import ProblemError, responses
from oversight.web.admission import in_unit
from oversight.web.operation_ids import ids
from oversight.web.session import SessionDep

router = APIRouter(prefix="/auth", tags=["Authentication"], generate_unique_id_function=ids("auth"))

T = TypeVar("T")


def _form(max_length: int, description: str | None = None) -> object:
    return Form(max_length=max_length, description=description)


def caller_of(request: Request) -> Caller:
    """Who knocks, for the grants: the service's settings and codec, the client address."""
    return Caller(
        request.app.state.settings,
        request.app.state.tokens,
        request.client.host if request.client else "unknown",
    )


def answer(outcome: T | ProblemError) -> T:
    """A transaction's outcome: the value, or its refusal raised once it has committed."""
    if isinstance(outcome, ProblemError):
        raise outcome
    return outcome


def _basic_client(request: Request) -> tuple[str, str] | None:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        client_id, _, secret = base64.b64decode(value, validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise OAuthError("invalid_client", "Malformed Basic credentials", status=401) from exc
    if len(client_id) > 64 or len(secret) > 256 or "\x00" in client_id + secret:
        raise OAuthError("invalid_client", "Malformed Basic credentials", status=401)
    return client_id, secret


async def _password(
    request: Request, username: str, password: str, requested: frozenset[str] | None
) -> TokenGrant:
    """Two short transactions around the hash, which holds no slot and no transaction."""
    caller = caller_of(request)
    email = username.strip().lower()
    opened = answer(
        await in_unit(request, lambda s: user_grants.open_password_login(s, caller, email))
    )
    known = opened.login.password_hash if opened.login else None
    verified = await request.app.state.admission.hash(lambda: verify_password(password, known))
    return answer(
        await in_unit(
            request,
            lambda s: user_grants.finish_password_login(
                s, caller, email, opened, verified, requested
            ),
        )
    )


@router.post(
    "/token",
    response_model=TokenResponse,
    response_model_exclude_none=True,
    summary="Obtain an access token",
    description=(
        "OAuth2 token endpoint (RFC 6749), form-encoded. Members use `grant_type=password` "
        "(this is what the **Authorize** button does); partner systems use "
        "`client_credentials` (in the form or as HTTP Basic); `refresh_token` exchanges a "
        "refresh token for a new pair. Errors carry the RFC 6749 code in `error`. After 5 "
        "attempts for an account within 15 minutes, further ones are refused with 429 until "
        "the window ends; each client address may ask for tokens a limited number of times "
        "a minute, and an address whose client authentications keep failing is refused for "
        "a while (a client itself is never locked out). Public: no access token, the form "
        "carries the credentials."
    ),
    responses=responses(400, 401, 429),
)
async def token(
    request: Request,
    response: Response,
    grant_type: Annotated[str | None, _form(32)] = None,
    username: Annotated[str | None, _form(320)] = None,
    password: Annotated[str | None, _form(MAX_PASSWORD_LENGTH)] = None,
    client_id: Annotated[str | None, _form(64)] = None,
    client_secret: Annotated[str | None, _form(256)] = None,
    refresh_token: Annotated[str | None, _form(256)] = None,
    scope: Annotated[str | None, _form(500)] = None,
) -> TokenResponse:
    response.headers["Cache-Control"] = "no-store"
    if not grant_type:
        raise OAuthError("invalid_request", "grant_type is required")
    if grant_type not in ("password", "client_credentials", "refresh_token"):
        raise OAuthError(
            "unsupported_grant_type",
            "grant_type must be password, client_credentials or refresh_token",
        )
    requested = grants.requested_scopes(scope)
    if grant_type == "password":
        if not username or password is None:
            raise OAuthError("invalid_request", "username and password are required")
        grant = await _password(request, username, password, requested)
    elif grant_type == "client_credentials":
        basic = _basic_client(request)
        if basic:
            client_id, client_secret = basic
        if not client_id or client_secret is None:
            raise OAuthError(
                "invalid_client", "client_id and client_secret are required", status=401
            )
        cid, secret, caller = client_id, client_secret, caller_of(request)
        grant = answer(
            await in_unit(
                request, lambda s: grants.client_credentials(s, caller, cid, secret, requested)
            )
        )
    else:
        if not refresh_token:
            raise OAuthError("invalid_request", "refresh_token is required")
        presented, caller = refresh_token, caller_of(request)
        grant = answer(
            await in_unit(request, lambda s: user_grants.refresh(s, caller, presented, requested))
        )
    return TokenResponse.model_validate(grant, from_attributes=True)


@router.post(
    "/revoke",
    status_code=status.HTTP_200_OK,
    summary="Revoke a refresh token (RFC 7009)",
    description="Revokes the refresh token and every token rotated from it. "
    "Answers 200 whether or not the token was known. Public: no access token, the refresh "
    "token is the credential.",
    responses={
        200: {"content": {"application/json": {"example": {"status": "revoked"}}}},
        **responses(422),
    },
)
def revoke(
    session: SessionDep,
    token: Annotated[str, Form(min_length=1, max_length=512)],
    token_type_hint: Annotated[str | None, Form(max_length=32)] = None,
) -> dict[str, str]:
    revocation.revoke_refresh_token(session, token)
    return {"status": "revoked"}


@router.post(
    "/logout",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Revoke all of the caller's tokens",
    description="Every access token and refresh token the caller holds stops working at "
    "once, on every worker. Any authenticated principal.",
    responses=responses(401),
)
def logout(session: SessionDep, principal: AnyPrincipal) -> Response:
    revocation.revoke_all(session, principal)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
