"""POST /auth/token (password, client_credentials, refresh_token), /auth/revoke, /auth/logout."""

import base64
import binascii
from typing import Annotated

from fastapi import APIRouter, Form, Request, Response, status

from oversight.auth import service
from oversight.auth.principal import AnyPrincipal
from oversight.auth.schemas import TokenResponse
from oversight.auth.service import OAuthError
from oversight.db import SessionDep
from oversight.errors import responses

router = APIRouter(prefix="/auth", tags=["Authentication"])

FormStr = Annotated[str | None, Form()]


def _basic_client(request: Request) -> tuple[str, str] | None:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        client_id, _, secret = base64.b64decode(value).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise OAuthError("invalid_client", "Malformed Basic credentials", status=401) from exc
    return client_id, secret


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
        "failed logins for an account within 15 minutes, attempts are refused with 429. "
        "Public: no access token, the form carries the credentials."
    ),
    responses=responses(400, 401, 429),
)
def token(
    request: Request,
    session: SessionDep,
    response: Response,
    grant_type: FormStr = None,
    username: FormStr = None,
    password: FormStr = None,
    client_id: FormStr = None,
    client_secret: FormStr = None,
    refresh_token: FormStr = None,
    scope: FormStr = None,
) -> TokenResponse:
    codec = request.app.state.tokens
    settings = request.app.state.settings
    response.headers["Cache-Control"] = "no-store"
    if grant_type == "password":
        if not username or password is None:
            raise OAuthError("invalid_request", "username and password are required")
        grant = service.password_grant(session, codec, settings, username, password, scope)
    elif grant_type == "client_credentials":
        basic = _basic_client(request)
        if basic:
            client_id, client_secret = basic
        if not client_id or client_secret is None:
            raise OAuthError(
                "invalid_client", "client_id and client_secret are required", status=401
            )
        grant = service.client_credentials_grant(
            session, codec, settings, client_id, client_secret, scope
        )
    elif grant_type == "refresh_token":
        if not refresh_token:
            raise OAuthError("invalid_request", "refresh_token is required")
        grant = service.refresh_grant(session, codec, settings, refresh_token, scope)
    elif not grant_type:
        raise OAuthError("invalid_request", "grant_type is required")
    else:
        raise OAuthError(
            "unsupported_grant_type",
            "grant_type must be password, client_credentials or refresh_token",
        )
    return TokenResponse(
        access_token=grant.access_token,
        expires_in=grant.expires_in,
        scope=grant.scope,
        refresh_token=grant.refresh_token,
    )


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
    token: Annotated[str, Form(max_length=512)],
    token_type_hint: FormStr = None,
) -> dict[str, str]:
    service.revoke_refresh_token(session, token)
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
    service.revoke_all(session, principal)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
