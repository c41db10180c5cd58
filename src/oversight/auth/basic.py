"""Who reads the TAXII collection: a bearer token, or HTTP Basic with a partner system's
client id and secret (what TAXII clients send by default).

Basic credentials are checked as the token endpoint checks client credentials: an address
that keeps failing is refused (429) for the lockout window, and every failure is counted and
recorded even though the request itself fails.
"""

from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import HTTPBasic, HTTPBasicCredentials
from sqlalchemy.orm import Session

from oversight.audit.recorder import set_actor
from oversight.auth.grants import (
    BAD_CLIENT,
    Caller,
    checked_client,
    failed_clients_refusal,
    note_failed_client,
)
from oversight.auth.principal import Principal, claims_of, load_principal, oauth2
from oversight.auth.scopes import Scope
from oversight.db import keep_on_rollback
from oversight.errors import Forbidden, Unauthorized
from oversight.web.session import SessionDep

CHALLENGE = 'Basic realm="oversight-taxii", Bearer'

basic = HTTPBasic(
    scheme_name="ClientBasic",
    description="A partner system's `client_id` and `client_secret` (TAXII feed only).",
    auto_error=False,
)


def service_account(session: Session, caller: Caller, client_id: str, secret: str) -> Principal:
    """The partner system these credentials name, or 401 (429 for an address that keeps
    failing)."""
    refused = failed_clients_refusal(session, caller)
    if refused is not None:
        raise refused
    sa, _, ok = checked_client(session, client_id, secret)
    if not ok:
        sa_id = sa.id if sa else None
        keep_on_rollback(session, lambda s: note_failed_client(s, caller, client_id, sa_id))
        raise Unauthorized(BAD_CLIENT, headers={"WWW-Authenticate": CHALLENGE})
    return Principal(
        kind="service",
        id=sa.id,
        agency_id=sa.agency_id,
        roles=frozenset(),
        scopes=frozenset(sa.scopes),
    )


def feed_reader(
    request: Request,
    session: SessionDep,
    token: Annotated[str | None, Security(oauth2, scopes=[Scope.bulletins_read.value])],
    credentials: Annotated[HTTPBasicCredentials | None, Depends(basic)],
) -> Principal:
    """The caller of a TAXII endpoint, with `bulletins:read`."""
    if token:
        principal = load_principal(session, claims_of(request, token))
    elif credentials is not None:
        caller = Caller(
            request.app.state.settings,
            request.app.state.tokens,
            request.client.host if request.client else "unknown",
        )
        principal = service_account(session, caller, credentials.username, credentials.password)
    else:
        raise Unauthorized(
            "Authentication required: HTTP Basic with a partner system's client id and "
            "secret, or 'Authorization: Bearer <token>'",
            headers={"WWW-Authenticate": CHALLENGE},
        )
    set_actor(session, principal.actor)
    request.state.principal_id = str(principal.id)
    if Scope.bulletins_read.value not in principal.scopes:
        raise Forbidden("This needs the scope bulletins:read, which the caller does not have")
    return principal


FeedReader = Annotated[Principal, Depends(feed_reader)]
