"""The people's grants: password and refresh token.

A password grant is two short transactions around the hash: `open_password_login` counts
the attempt (per client address and per account, atomically) and reads the account; the
router then checks the password outside any transaction and database slot;
`finish_password_login` decides, records and issues. A refresh needs no slow hash.
"""

import uuid
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
    record_grant,
    refused_scope,
    too_many,
    user_grant,
    who,
)
from oversight.auth.models import RefreshToken
from oversight.auth.passwords import secret_digest
from oversight.auth.repository import Login
from oversight.auth.scopes import format_scope, parse_scope, scopes_for_roles
from oversight.db import utcnow
from oversight.errors import ProblemError


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
    locked = too_many(throttle.hit(session, limit, counter), "failed logins for this account")
    if locked is not None:
        _anonymous(
            session, "auth.lockout", "denied", login.user_id if login else None, caller, email
        )
        return locked
    return Opened(login)


def _anonymous(
    session: Session,
    action: str,
    outcome: str,
    user_id: uuid.UUID | None,
    caller: Caller,
    email: str,
) -> None:
    """An attempt on an account by someone not (yet) known to be its holder."""
    kind = "user" if user_id is not None else None
    changes = who(user_id is not None, caller, email)
    record(
        session,
        action,
        resource_type=kind,
        resource_id=user_id,
        outcome=outcome,
        changes=changes,
        actor=ANONYMOUS,
    )


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
        _anonymous(
            session, "auth.login_failed", "failure", user.id if user else None, caller, email
        )
        return OAuthError("invalid_grant", BAD_LOGIN)
    actor = Actor("user", str(user.id), str(user.agency_id))
    allowed = scopes_for_roles(frozenset(user.roles))
    # Not a login: the lockout count stands, and the refusal is on the record.
    denied = refused_scope(session, requested, allowed, ("user", user.id), actor)
    if denied is not None:
        return denied
    granted = requested or allowed
    throttle.clear(session, throttle.account_key(user.id))
    user.last_login_at = utcnow()
    scope = format_scope(granted)
    record_grant(
        session, "auth.login", ("user", user.id), actor, grant_type="password", scope=scope
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
    actor = Actor("user", str(user.id), str(user.agency_id))
    record_grant(session, "auth.refresh", ("user", user.id), actor)
    return user_grant(session, caller, user, agency.token_version, scope, stored.family_id)


def _reused(session: Session, stored: RefreshToken) -> None:
    """A used refresh token again: stolen, or its thief came first. The whole family dies,
    and so do the access tokens the user holds (their version moves on)."""
    user = repository.user_of(session, stored.user_id)
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
