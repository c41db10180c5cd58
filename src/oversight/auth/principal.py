"""Who is calling: the bearer token checked against the database on every request."""

import uuid
from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import Depends, Request, Security
from fastapi.openapi.models import OAuthFlowClientCredentials, OAuthFlowPassword, OAuthFlows
from fastapi.security import OAuth2, SecurityScopes
from sqlalchemy.orm import Session

from oversight.accounts.models import AgencyStatus
from oversight.audit.recorder import Actor, record, set_actor
from oversight.auth import repository
from oversight.auth.scopes import SCOPE_DESCRIPTIONS, Role, Scope, parse_scope, scopes_for_roles
from oversight.auth.tokens import AccessClaims, TokenCodec
from oversight.db import keep_on_rollback
from oversight.errors import Forbidden, Unauthorized
from oversight.web.session import SessionDep

TOKEN_URL = "/api/v1/auth/token"


@dataclass(frozen=True, slots=True)
class Principal:
    kind: Literal["user", "service"]
    id: uuid.UUID
    agency_id: uuid.UUID
    roles: frozenset[str]
    scopes: frozenset[str]

    @property
    def is_user(self) -> bool:
        return self.kind == "user"

    @property
    def is_admin(self) -> bool:
        return Role.admin in self.roles

    @property
    def is_agency_admin(self) -> bool:
        return Role.agency_admin in self.roles

    @property
    def actor(self) -> Actor:
        return Actor(self.kind, str(self.id), str(self.agency_id))


class BearerOAuth2(OAuth2):
    """OAuth2 (password and client-credentials flows) that yields the bearer token itself."""

    async def __call__(self, request: Request) -> str | None:  # type: ignore[override]
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        return token.strip()


oauth2 = BearerOAuth2(
    flows=OAuthFlows(
        password=OAuthFlowPassword(tokenUrl=TOKEN_URL, scopes=dict(SCOPE_DESCRIPTIONS)),
        clientCredentials=OAuthFlowClientCredentials(
            tokenUrl=TOKEN_URL, scopes=dict(SCOPE_DESCRIPTIONS)
        ),
    ),
    scheme_name="OAuth2",
    description=(
        "Members: the **password** flow, with your email as username and your password. "
        "Partner systems: the **client credentials** flow, with a service account's "
        "client_id and client_secret."
    ),
    auto_error=False,
)


def load_principal(session: Session, claims: AccessClaims) -> Principal:
    """Confirm, in one indexed lookup, that the token's claims still stand."""
    if claims.kind not in ("user", "service"):
        raise Unauthorized("Access token is of an unknown kind")
    row = repository.holder_standing(session, claims.kind, claims.sub)
    granted = frozenset(row.grants) if row else frozenset()
    roles = granted if claims.kind == "user" else frozenset()
    allowed = scopes_for_roles(roles) if claims.kind == "user" else granted
    if (
        row is None
        or not row.is_active
        or row.token_version != claims.ver
        or row.status != AgencyStatus.active
        or row.agency_version != claims.aver
        or row.agency_id != claims.agency
    ):
        raise Unauthorized("Access token has been revoked")
    return Principal(
        kind=claims.kind,  # type: ignore[arg-type]
        id=claims.sub,
        agency_id=claims.agency,
        roles=roles,
        scopes=parse_scope(claims.scope) & allowed,
    )


def claims_of(request: Request, token: str | None) -> AccessClaims:
    """The claims the middleware checked before the request took a database slot."""
    claims = request.scope.get("state", {}).get("claims")
    if isinstance(claims, AccessClaims):
        return claims
    if not token:
        raise Unauthorized("Authentication required: send 'Authorization: Bearer <token>'")
    codec: TokenCodec = request.app.state.tokens
    return codec.decode(token)


def require(
    security_scopes: SecurityScopes,
    request: Request,
    token: Annotated[str | None, Depends(oauth2)],
    session: SessionDep,
) -> Principal:
    principal = load_principal(session, claims_of(request, token))
    set_actor(session, principal.actor)
    request.state.principal_id = str(principal.id)
    missing = [s for s in security_scopes.scopes if s not in principal.scopes]
    if missing:
        denial = {"required_scope": missing, "method": request.method, "path": request.url.path}
        keep_on_rollback(
            session,
            lambda s: record(s, "auth.permission_denied", outcome="denied", changes=denial),
        )
        raise Forbidden(f"This needs the scope {' '.join(missing)}, which the token does not carry")
    return principal


def _scoped(*scopes: Scope) -> object:
    return Security(require, scopes=[s.value for s in scopes])


AnyPrincipal = Annotated[Principal, Security(require)]
BulletinsRead = Annotated[Principal, _scoped(Scope.bulletins_read)]
BulletinsWrite = Annotated[Principal, _scoped(Scope.bulletins_write)]
MeetingsRead = Annotated[Principal, _scoped(Scope.meetings_read)]
MeetingsWrite = Annotated[Principal, _scoped(Scope.meetings_write)]
ActionsRead = Annotated[Principal, _scoped(Scope.actions_read)]
ActionsWrite = Annotated[Principal, _scoped(Scope.actions_write)]
WebhooksRead = Annotated[Principal, _scoped(Scope.webhooks_read)]
WebhooksWrite = Annotated[Principal, _scoped(Scope.webhooks_write)]
ReportsRead = Annotated[Principal, _scoped(Scope.reports_read)]
ReportsWrite = Annotated[Principal, _scoped(Scope.reports_write)]
AuditRead = Annotated[Principal, _scoped(Scope.audit_read)]
AdminScope = Annotated[Principal, _scoped(Scope.admin)]
