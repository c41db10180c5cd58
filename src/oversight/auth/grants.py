"""The OAuth2 grants of the token endpoint, as transactions the router runs in turn.

A password grant is two short transactions around the hash: `open_password_login` counts
the attempt (per client address and per account, atomically) and reads the account;
the router then checks the password outside any transaction and database slot;
`finish_password_login` decides, records and issues. Client credentials and refresh tokens
need no slow hash and run in one. Each returns its refusal instead of raising it, so what
it counted and recorded is committed with it.
"""

import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.orm import Session

from oversight.audit.recorder import ANONYMOUS, Actor, record
from oversight.auth import repository, throttle
from oversight.auth.models import RefreshToken
from oversight.auth.passwords import new_secret, secret_digest, secret_matches
from oversight.auth.repository import Login
from oversight.auth.scopes import KNOWN_SCOPES, format_scope, parse_scope, scopes_for_roles
from oversight.auth.tokens import TokenCodec
from oversight.config import Settings
from oversight.db import utcnow
from oversight.errors import ProblemError, TooManyRequests
from oversight.users.models import User

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


@dataclass(frozen=True, slots=True)
class Opened:
    """A password login let through to the hash: the account, or None when none matches."""

    login: Login | None


def requested_scopes(scope: str | None) -> frozenset[str] | None:
    """The scopes asked for; an unknown name is refused before any credential is looked at."""
    if not scope:
        return None
    wanted = parse_scope(scope)
    unknown = wanted - KNOWN_SCOPES
    if unknown:
        raise OAuthError("invalid_scope", f"Unknown scope: {format_scope(unknown)}")
    return wanted


def _rate_limited(session: Session, caller: Caller) -> ProblemError | None:
    limit = throttle.token_rate(caller.settings)
    wait = throttle.hit(session, limit, caller.key(limit, caller.address))
    if wait is None:
        return None
    return TooManyRequests(
        "Too many token requests from your address; try again later",
        headers={"Retry-After": str(wait)},
    )


def _who(known: bool, caller: Caller, name: str) -> dict[str, str]:
    """How the trail names an account: in clear when it exists, else a fixed-size digest (a
    password typed into the username box is never kept)."""
    if known:
        return {"account": name}
    return {"account": "(unknown)", "account_key": throttle.key(caller.codec.key, _UNKNOWN, name)}


_UNKNOWN = throttle.Limit("unknown-account", 0, timedelta(0))


def open_password_login(session: Session, caller: Caller, email: str) -> Opened | ProblemError:
    refused = _rate_limited(session, caller)
    if refused is not None:
        return refused
    login = repository.login_of(session, email)
    limit = throttle.login_lockout(caller.settings)
    counter = throttle.account_key(login.user_id) if login else caller.key(limit, email)
    wait = throttle.hit(session, limit, counter)
    if wait is not None:
        record(
            session,
            "auth.lockout",
            resource_type="user" if login else None,
            resource_id=login.user_id if login else None,
            outcome="denied",
            changes=_who(login is not None, caller, email),
            actor=ANONYMOUS,
        )
        return TooManyRequests(
            "Too many failed logins for this account; try again later",
            headers={"Retry-After": str(wait)},
        )
    return Opened(login)


def finish_password_login(
    session: Session,
    caller: Caller,
    email: str,
    opened: Opened,
    verified: bool,
    requested: frozenset[str] | None,
) -> TokenGrant | ProblemError:
    found = repository.user_for_login(session, opened.login.user_id) if opened.login else None
    user, agency = found if found else (None, None)
    if (
        not verified
        or user is None
        or agency is None
        or opened.login is None
        or user.password_hash != opened.login.password_hash  # changed while it was checked
        or not user.is_active
        or agency.status != "active"
    ):
        record(
            session,
            "auth.login_failed",
            resource_type="user" if user else None,
            resource_id=user.id if user else None,
            outcome="failure",
            changes=_who(user is not None, caller, email),
            actor=ANONYMOUS,
        )
        return OAuthError("invalid_grant", BAD_LOGIN)
    actor = Actor("user", str(user.id), str(user.agency_id))
    allowed = scopes_for_roles(frozenset(user.roles))
    if requested is not None and not requested <= allowed:
        # Not a login: the lockout count stands, and the refusal is on the record.
        record(
            session,
            "auth.login_denied",
            resource_type="user",
            resource_id=user.id,
            outcome="denied",
            changes={"reason": "invalid_scope", "scope": format_scope(requested - allowed)},
            actor=actor,
        )
        return OAuthError(
            "invalid_scope", f"Scope not allowed: {format_scope(requested - allowed)}"
        )
    granted = requested or allowed
    throttle.clear(session, throttle.account_key(user.id))
    user.last_login_at = utcnow()
    scope = format_scope(granted)
    record(
        session,
        "auth.login",
        resource_type="user",
        resource_id=user.id,
        actor=actor,
        changes={"grant_type": "password", "scope": scope},
    )
    return _user_grant(session, caller, user, agency.token_version, scope)


def client_credentials(
    session: Session,
    caller: Caller,
    client_id: str,
    client_secret: str,
    requested: frozenset[str] | None,
) -> TokenGrant | ProblemError:
    refused = _rate_limited(session, caller) or failed_clients_refusal(session, caller)
    if refused is not None:
        return refused
    found = repository.client_of(session, client_id)
    sa, agency = found if found else (None, None)
    ok = secret_matches(client_secret, sa.secret_hash if sa else None)
    if not ok or sa is None or agency is None or not sa.is_active or agency.status != "active":
        note_failed_client(session, caller, client_id, sa.id if sa else None)
        return OAuthError("invalid_client", BAD_CLIENT, status=401)
    actor = Actor("service", str(sa.id), str(sa.agency_id))
    allowed = frozenset(sa.scopes)
    if requested is not None and not requested <= allowed:
        record(
            session,
            "auth.login_denied",
            resource_type="service_account",
            resource_id=sa.id,
            outcome="denied",
            changes={"reason": "invalid_scope", "scope": format_scope(requested - allowed)},
            actor=actor,
        )
        return OAuthError(
            "invalid_scope", f"Scope not allowed: {format_scope(requested - allowed)}"
        )
    scope = format_scope(requested or allowed)
    record(
        session,
        "auth.login",
        resource_type="service_account",
        resource_id=sa.id,
        actor=actor,
        changes={"grant_type": "client_credentials", "scope": scope},
    )
    token = caller.codec.issue(
        sub=sa.id,
        kind="service",
        agency=sa.agency_id,
        scope=scope,
        ver=sa.token_version,
        aver=agency.token_version,
    )
    return TokenGrant(access_token=token, expires_in=caller.codec.expires_in, scope=scope)


def failed_clients_refusal(session: Session, caller: Caller) -> ProblemError | None:
    """Client secrets are not guessable, so no client is locked out (anyone knows a client
    id); an address that keeps failing is slowed down instead."""
    limit = throttle.client_failures(caller.settings)
    wait = throttle.peek(session, limit, caller.key(limit, caller.address))
    if wait is None:
        return None
    return TooManyRequests(
        "Too many failed client authentications from your address; try again later",
        headers={"Retry-After": str(wait)},
    )


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
        changes=_who(sa_id is not None, caller, client_id),
        actor=ANONYMOUS,
    )


def refresh(
    session: Session, caller: Caller, token: str, requested: frozenset[str] | None
) -> TokenGrant | ProblemError:
    refused = _rate_limited(session, caller)
    if refused is not None:
        return refused
    invalid = OAuthError("invalid_grant", BAD_REFRESH)
    stored = repository.refresh_token(session, secret_digest(token))
    if stored is None:
        return invalid
    now = utcnow()
    if stored.used_at is not None or stored.revoked_at is not None:
        repository.revoke_family(session, stored.family_id)
        if stored.used_at is not None:
            _reused(session, stored)
        return invalid
    if not repository.claim_refresh(session, stored.id, now) or stored.expires_at <= now:
        return invalid
    found = repository.user_for_login(session, stored.user_id)
    if found is None:
        return invalid
    user, agency = found
    if (
        not user.is_active
        or agency.status != "active"
        or user.token_version != stored.token_version
    ):
        return invalid
    allowed = parse_scope(stored.scope) & scopes_for_roles(frozenset(user.roles))
    if requested is not None and not requested <= allowed:
        return OAuthError(
            "invalid_scope", f"Scope not allowed: {format_scope(requested - allowed)}"
        )
    scope = format_scope(requested or allowed)
    record(
        session,
        "auth.refresh",
        resource_type="user",
        resource_id=user.id,
        actor=Actor("user", str(user.id), str(user.agency_id)),
    )
    return _user_grant(session, caller, user, agency.token_version, scope, stored.family_id)


def _reused(session: Session, stored: RefreshToken) -> None:
    """A used refresh token again: stolen, or its thief came first. The whole family dies,
    and so do the access tokens the user holds (their version moves on)."""
    user = session.get(User, stored.user_id)
    actor = Actor("user", str(stored.user_id), str(user.agency_id) if user else None)
    if user is not None:
        user.token_version += 1
        session.flush()
    record(
        session,
        "auth.refresh_reuse",
        resource_type="user",
        resource_id=stored.user_id,
        outcome="denied",
        actor=actor,
        changes={"family_id": str(stored.family_id)},
    )


def _user_grant(
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
    access = caller.codec.issue(
        sub=user.id,
        kind="user",
        agency=user.agency_id,
        scope=scope,
        ver=user.token_version,
        aver=agency_version,
    )
    return TokenGrant(
        access_token=access,
        expires_in=caller.codec.expires_in,
        scope=scope,
        refresh_token=refresh_token,
    )
