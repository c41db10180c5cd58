"""The OAuth2 grants of the token endpoint, as transactions the router runs in turn.

What every grant shares, and client credentials (partner systems), which need no slow hash
and run in one transaction; the people's grants are in `user_grants`. Each returns its
refusal instead of raising it, so what it counted and recorded is committed with it.
"""

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from oversight.accounts.models import User
from oversight.audit.recorder import ANONYMOUS, Actor, record
from oversight.auth import repository, throttle
from oversight.auth.models import RefreshToken
from oversight.auth.passwords import new_secret, secret_digest, secret_matches
from oversight.auth.scopes import KNOWN_SCOPES, format_scope, parse_scope
from oversight.auth.tokens import TokenCodec
from oversight.config import Settings
from oversight.db import utcnow
from oversight.errors import ProblemError, TooManyRequests

BAD_LOGIN = "Invalid username or password"
BAD_CLIENT = "Invalid client credentials"
BAD_REFRESH = "Invalid or expired refresh token"


class OAuthError(ProblemError):
    """An RFC 6749 §5.2 error, carried inside the problem body as `error`."""

    status, title, slug = 400, "Bad Request", "oauth-error"

    def __init__(self, error: str, detail: str, *, status: int = 400) -> None:
        super().__init__(detail, extra={"error": error})
        self.status = status
        self.title = "Unauthorized" if status == 401 else "Bad Request"


@dataclass(slots=True)
class TokenGrant:
    access_token: str
    expires_in: int
    scope: str
    refresh_token: str | None = None
    token_type: str = "bearer"


@dataclass(frozen=True, slots=True)
class Caller:
    """Who knocks at the token endpoint, and with what the service answers."""

    settings: Settings
    codec: TokenCodec
    address: str

    def key(self, limit: throttle.Limit, subject: str) -> str:
        return throttle.key(self.codec.key, limit, subject)


def requested_scopes(scope: str | None) -> frozenset[str] | None:
    """The scopes asked for; an unknown name is refused before any credential is looked at."""
    if not scope:
        return None
    wanted = parse_scope(scope)
    unknown = wanted - KNOWN_SCOPES
    if unknown:
        raise OAuthError("invalid_scope", f"Unknown scope: {format_scope(unknown)}")
    return wanted


def too_many(wait: int | None, what: str) -> TooManyRequests | None:
    """429 with `Retry-After` when a limit says to wait, else None."""
    if wait is None:
        return None
    return TooManyRequests(f"Too many {what}; try again later", headers={"Retry-After": str(wait)})


def rate_limited(session: Session, caller: Caller) -> ProblemError | None:
    limit = throttle.token_rate(caller.settings)
    wait = throttle.hit(session, limit, caller.key(limit, caller.address))
    return too_many(wait, "token requests from your address")


def refused_scope(
    session: Session,
    requested: frozenset[str] | None,
    allowed: frozenset[str],
    resource: tuple[str, uuid.UUID],
    actor: Actor,
) -> OAuthError | None:
    """A scope beyond the account's, asked for with the right credentials: no login, but on
    the record (it says the credentials were right)."""
    if requested is None or requested <= allowed:
        return None
    beyond = format_scope(requested - allowed)
    record(
        session,
        "auth.login_denied",
        resource_type=resource[0],
        resource_id=resource[1],
        outcome="denied",
        changes={"reason": "invalid_scope", "scope": beyond},
        actor=actor,
    )
    return OAuthError("invalid_scope", f"Scope not allowed: {beyond}")


def record_grant(
    session: Session, action: str, resource: tuple[str, uuid.UUID], actor: Actor, **changes: str
) -> None:
    """A grant on the record (`auth.login`, `auth.refresh`): the account it went to, and how."""
    record(
        session,
        action,
        resource_type=resource[0],
        resource_id=resource[1],
        actor=actor,
        changes=changes or None,
    )


def who(known: bool, caller: Caller, name: str) -> dict[str, str]:
    """How the trail names an account: in clear when it exists, else a fixed-size digest (a
    password typed into the username box is never kept)."""
    if known:
        return {"account": name}
    return {"account": "(unknown)", "account_key": throttle.key(caller.codec.key, _UNKNOWN, name)}


_UNKNOWN = throttle.Limit("unknown-account", 0, timedelta(0))


def client_credentials(
    session: Session,
    caller: Caller,
    client_id: str,
    client_secret: str,
    requested: frozenset[str] | None,
) -> TokenGrant | ProblemError:
    refused = rate_limited(session, caller) or failed_clients_refusal(session, caller)
    if refused is not None:
        return refused
    sa, agency, ok = checked_client(session, client_id, client_secret)
    if not ok:
        note_failed_client(session, caller, client_id, sa.id if sa else None)
        return OAuthError("invalid_client", BAD_CLIENT, status=401)
    actor = Actor("service", str(sa.id), str(sa.agency_id))
    allowed = frozenset(sa.scopes)
    denied = refused_scope(session, requested, allowed, ("service_account", sa.id), actor)
    if denied is not None:
        return denied
    scope = format_scope(requested or allowed)
    record_grant(
        session,
        "auth.login",
        ("service_account", sa.id),
        actor,
        grant_type="client_credentials",
        scope=scope,
    )
    token = issue(caller, "service", sa, scope, agency.token_version)
    return TokenGrant(access_token=token, expires_in=caller.codec.expires_in, scope=scope)


def checked_client(session: Session, client_id: str, secret: str) -> tuple[Any, Any, bool]:
    """The partner system the id names, its agency, and whether the secret matches and both
    are active (the secret is checked even for an unknown id: timing tells nothing)."""
    found = repository.client_of(session, client_id)
    sa, agency = found if found else (None, None)
    ok = secret_matches(secret, sa.secret_hash if sa else None)
    active = sa is not None and agency is not None and sa.is_active and agency.status == "active"
    return sa, agency, ok and active


def issue(caller: Caller, kind: str, holder: Any, scope: str, agency_version: int) -> str:
    """An access token for a user or partner system (`holder`), of the versions that revoke it."""
    return caller.codec.issue(
        sub=holder.id,
        kind=kind,
        agency=holder.agency_id,
        scope=scope,
        ver=holder.token_version,
        aver=agency_version,
    )


def failed_clients_refusal(session: Session, caller: Caller) -> ProblemError | None:
    """Client secrets are not guessable, so no client is locked out (anyone knows a client
    id); an address that keeps failing is slowed down instead."""
    limit = throttle.client_failures(caller.settings)
    wait = throttle.peek(session, limit, caller.key(limit, caller.address))
    return too_many(wait, "failed client authentications from your address")


def note_failed_client(
    session: Session, caller: Caller, client_id: str, sa_id: uuid.UUID | None
) -> None:
    limit = throttle.client_failures(caller.settings)
    throttle.hit(session, limit, caller.key(limit, caller.address))
    record(
        session,
        "auth.client_failed",
        resource_type="service_account" if sa_id else None,
        resource_id=sa_id,
        outcome="failure",
        changes=who(sa_id is not None, caller, client_id),
        actor=ANONYMOUS,
    )


def user_grant(
    session: Session,
    caller: Caller,
    user: User,
    agency_version: int,
    scope: str,
    family: uuid.UUID | None = None,
) -> TokenGrant:
    refresh_token = new_secret("ovr_")
    session.add(
        RefreshToken(
            family_id=family or uuid.uuid4(),
            token_hash=secret_digest(refresh_token),
            user_id=user.id,
            scope=scope,
            token_version=user.token_version,
            expires_at=utcnow() + timedelta(days=caller.settings.refresh_token_days),
        )
    )
    return TokenGrant(
        access_token=issue(caller, "user", user, scope, agency_version),
        expires_in=caller.codec.expires_in,
        scope=scope,
        refresh_token=refresh_token,
    )
