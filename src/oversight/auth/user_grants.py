"""The people's grants: password and refresh token.

A password grant is two short transactions around the hash: `open_password_login` counts
the attempt (per client address and per account, atomically) and reads the account; the
router then checks the password outside any transaction and database slot;
`finish_password_login` decides, records and issues. A refresh needs no slow hash.
"""

from dataclasses import dataclass

from sqlalchemy.orm import Session

from oversight.audit.recorder import ANONYMOUS, Actor, record
from oversight.auth import repository, throttle
from oversight.auth.grants import (
    BAD_LOGIN,
    BAD_REFRESH,
    Caller,
    OAuthError,
    TokenGrant,
    rate_limited,
    user_grant,
    who,
)
from oversight.auth.models import RefreshToken
from oversight.auth.passwords import secret_digest
from oversight.auth.repository import Login
from oversight.auth.scopes import format_scope, parse_scope, scopes_for_roles
from oversight.db import utcnow
from oversight.errors import ProblemError, TooManyRequests
from oversight.users.models import User


@dataclass(frozen=True, slots=True)
class Opened:
    """A password login let through to the hash: the account, or None when none matches."""

    login: Login | None


def open_password_login(session: Session, caller: Caller, email: str) -> Opened | ProblemError:
    refused = rate_limited(session, caller)
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
            changes=who(login is not None, caller, email),
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
            changes=who(user is not None, caller, email),
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
    return user_grant(session, caller, user, agency.token_version, scope)


def refresh(
    session: Session, caller: Caller, token: str, requested: frozenset[str] | None
) -> TokenGrant | ProblemError:
    refused = rate_limited(session, caller)
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
    return user_grant(session, caller, user, agency.token_version, scope, stored.family_id)


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
