"""The OAuth2 grants, revocation, logout and password change."""

import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from oversight.agencies.models import Agency, AgencyStatus
from oversight.audit.recorder import Actor, record
from oversight.auth import lockout
from oversight.auth.models import RefreshToken
from oversight.auth.passwords import (
    hash_password,
    new_secret,
    secret_digest,
    secret_matches,
    verify_password,
)
from oversight.auth.principal import Principal
from oversight.auth.scopes import format_scope, parse_scope, scopes_for_roles
from oversight.auth.tokens import TokenCodec
from oversight.config import Settings
from oversight.db import utcnow
from oversight.errors import Forbidden, ProblemError, TooManyRequests, Unprocessable
from oversight.service_accounts.models import ServiceAccount
from oversight.users.models import User


class OAuthError(ProblemError):
    """An RFC 6749 §5.2 error, carried inside the problem body as `error`."""

    status, title, slug = 400, "Bad Request", "oauth-error"

    def __init__(self, error: str, detail: str, *, status: int = 400, **kw: object) -> None:
        super().__init__(detail, extra={"error": error}, **kw)  # type: ignore[arg-type]
        self.status = status
        self.title = "Unauthorized" if status == 401 else "Bad Request"


@dataclass(slots=True)
class TokenGrant:
    access_token: str
    expires_in: int
    scope: str
    refresh_token: str | None = None
    token_type: str = "bearer"


BAD_LOGIN = "Invalid username or password"
BAD_CLIENT = "Invalid client credentials"


def _narrow(requested: str | None, allowed: frozenset[str]) -> frozenset[str]:
    if not requested:
        return allowed
    wanted = parse_scope(requested)
    if not wanted <= allowed:
        raise OAuthError("invalid_scope", f"Scope not allowed: {format_scope(wanted - allowed)}")
    return wanted


def _check_lockout(session: Session, settings: Settings, account: str, who: str) -> None:
    wait = lockout.retry_after(session, settings, account)
    if wait is not None:

        def _locked(s: Session) -> None:
            record(
                s,
                "auth.lockout",
                outcome="denied",
                changes={"account": who},
                actor=Actor("anonymous"),
            )

        raise TooManyRequests(
            "Too many failed logins for this account; try again later",
            headers={"Retry-After": str(wait)},
            after_rollback=[_locked],
        )


def _failed(
    settings: Settings,
    account: str,
    action: str,
    who: str,
    detail: str,
    *,
    error: str = "invalid_grant",
    status: int = 400,
) -> OAuthError:
    def _note(s: Session) -> None:
        lockout.note_failure(s, settings, account)
        record(s, action, outcome="failure", changes={"account": who}, actor=Actor("anonymous"))

    return OAuthError(error, detail, status=status, after_rollback=[_note])


def _issue_refresh(
    session: Session, settings: Settings, user: User, scope: str, family: uuid.UUID | None = None
) -> str:
    token = new_secret("ovr_")
    session.add(
        RefreshToken(
            family_id=family or uuid.uuid4(),
            token_hash=secret_digest(token),
            user_id=user.id,
            scope=scope,
            token_version=user.token_version,
            expires_at=utcnow() + timedelta(days=settings.refresh_token_days),
        )
    )
    return token


def password_grant(
    session: Session,
    codec: TokenCodec,
    settings: Settings,
    username: str,
    password: str,
    scope: str | None,
) -> TokenGrant:
    email = username.strip().lower()
    account = f"user:{email}"
    _check_lockout(session, settings, account, email)
    row = session.execute(
        select(User, Agency.status)
        .join(Agency, Agency.id == User.agency_id)
        .where(User.email == email)
    ).first()
    user, agency_status = (row[0], row[1]) if row else (None, None)
    ok = verify_password(password, user.password_hash if user else None)
    if not ok or user is None or not user.is_active or agency_status != AgencyStatus.active:
        raise _failed(settings, account, "auth.login_failed", email, BAD_LOGIN)
    granted = _narrow(scope, scopes_for_roles(frozenset(user.roles)))
    lockout.clear(session, account)
    user.last_login_at = utcnow()
    actor = Actor("user", str(user.id), str(user.agency_id))
    record(
        session,
        "auth.login",
        resource_type="user",
        resource_id=user.id,
        actor=actor,
        changes={"grant_type": "password", "scope": format_scope(granted)},
    )
    scope_str = format_scope(granted)
    return TokenGrant(
        access_token=codec.issue(
            sub=user.id, kind="user", agency=user.agency_id, scope=scope_str, ver=user.token_version
        ),
        expires_in=codec.expires_in,
        scope=scope_str,
        refresh_token=_issue_refresh(session, settings, user, scope_str),
    )


def client_credentials_grant(
    session: Session,
    codec: TokenCodec,
    settings: Settings,
    client_id: str,
    client_secret: str,
    scope: str | None,
) -> TokenGrant:
    account = f"client:{client_id}"
    _check_lockout(session, settings, account, client_id)
    row = session.execute(
        select(ServiceAccount, Agency.status)
        .join(Agency, Agency.id == ServiceAccount.agency_id)
        .where(ServiceAccount.client_id == client_id)
    ).first()
    sa, agency_status = (row[0], row[1]) if row else (None, None)
    ok = secret_matches(client_secret, sa.secret_hash if sa else None)
    if not ok or sa is None or not sa.is_active or agency_status != AgencyStatus.active:
        raise _failed(
            settings,
            account,
            "auth.client_failed",
            client_id,
            BAD_CLIENT,
            error="invalid_client",
            status=401,
        )
    granted = _narrow(scope, frozenset(sa.scopes))
    lockout.clear(session, account)
    actor = Actor("service", str(sa.id), str(sa.agency_id))
    record(
        session,
        "auth.login",
        resource_type="service_account",
        resource_id=sa.id,
        actor=actor,
        changes={"grant_type": "client_credentials", "scope": format_scope(granted)},
    )
    scope_str = format_scope(granted)
    return TokenGrant(
        access_token=codec.issue(
            sub=sa.id, kind="service", agency=sa.agency_id, scope=scope_str, ver=sa.token_version
        ),
        expires_in=codec.expires_in,
        scope=scope_str,
    )


def _revoke_family(session: Session, family_id: uuid.UUID) -> None:
    session.execute(
        update(RefreshToken)
        .where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def refresh_grant(
    session: Session,
    codec: TokenCodec,
    settings: Settings,
    refresh_token: str,
    scope: str | None,
) -> TokenGrant:
    invalid = OAuthError("invalid_grant", "Invalid or expired refresh token")
    stored = session.scalars(
        select(RefreshToken).where(RefreshToken.token_hash == secret_digest(refresh_token))
    ).first()
    if stored is None:
        raise invalid
    actor = Actor("user", str(stored.user_id))
    now = utcnow()
    if stored.used_at is not None or stored.revoked_at is not None:
        family = stored.family_id
        reused = stored.used_at is not None

        def _reuse(s: Session) -> None:
            _revoke_family(s, family)
            if reused:
                record(
                    s,
                    "auth.refresh_reuse",
                    resource_type="user",
                    resource_id=stored.user_id,
                    outcome="denied",
                    actor=actor,
                    changes={"family_id": str(family)},
                )

        raise OAuthError(
            "invalid_grant", "Invalid or expired refresh token", after_rollback=[_reuse]
        )
    # Single use, also against a concurrent refresh with the same token.
    claimed = session.execute(
        update(RefreshToken)
        .where(RefreshToken.id == stored.id, RefreshToken.used_at.is_(None))
        .values(used_at=now)
    ).rowcount
    if claimed != 1 or stored.expires_at <= now:
        raise invalid
    row = session.execute(
        select(User, Agency.status)
        .join(Agency, Agency.id == User.agency_id)
        .where(User.id == stored.user_id)
    ).first()
    if row is None:
        raise invalid
    user, agency_status = row[0], row[1]
    if (
        not user.is_active
        or agency_status != AgencyStatus.active
        or user.token_version != stored.token_version
    ):
        raise invalid
    allowed = parse_scope(stored.scope) & scopes_for_roles(frozenset(user.roles))
    granted = _narrow(scope, allowed)
    scope_str = format_scope(granted)
    record(
        session,
        "auth.refresh",
        resource_type="user",
        resource_id=user.id,
        actor=Actor("user", str(user.id), str(user.agency_id)),
    )
    return TokenGrant(
        access_token=codec.issue(
            sub=user.id, kind="user", agency=user.agency_id, scope=scope_str, ver=user.token_version
        ),
        expires_in=codec.expires_in,
        scope=scope_str,
        refresh_token=_issue_refresh(session, settings, user, scope_str, stored.family_id),
    )


def revoke_refresh_token(session: Session, token: str) -> None:
    """RFC 7009: revoke the token's whole family; unknown tokens are silently accepted."""
    stored = session.scalars(
        select(RefreshToken).where(RefreshToken.token_hash == secret_digest(token))
    ).first()
    if stored is None:
        return
    _revoke_family(session, stored.family_id)
    record(
        session,
        "auth.revoke",
        resource_type="user",
        resource_id=stored.user_id,
        actor=Actor("user", str(stored.user_id)),
        changes={"family_id": str(stored.family_id)},
    )


def revoke_all(session: Session, principal: Principal) -> None:
    """Logout: every access and refresh token of the caller stops working."""
    if principal.kind == "user":
        user = session.get_one(User, principal.id)
        user.token_version += 1
        session.execute(
            update(RefreshToken)
            .where(RefreshToken.user_id == user.id, RefreshToken.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )
    else:
        sa = session.get_one(ServiceAccount, principal.id)
        sa.token_version += 1
    record(session, "auth.logout", resource_type=principal.kind, resource_id=principal.id)


def revoke_user_tokens(session: Session, user: User) -> None:
    """Disable, password change, reset: invalidate what the user holds, at once."""
    user.token_version += 1
    session.execute(
        update(RefreshToken)
        .where(RefreshToken.user_id == user.id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def change_password(
    session: Session, settings: Settings, principal: Principal, current: str, new: str
) -> None:
    if principal.kind != "user":
        raise Forbidden("Service accounts have no password; rotate the client secret instead")
    user = session.get_one(User, principal.id)
    account = f"user:{user.email}"
    _check_lockout(session, settings, account, user.email)
    if not verify_password(current, user.password_hash):

        def _note(s: Session) -> None:
            lockout.note_failure(s, settings, account)
            record(
                s,
                "auth.password_change_failed",
                resource_type="user",
                resource_id=principal.id,
                outcome="failure",
            )

        raise Unprocessable(
            "The current password is wrong",
            extra={
                "errors": [
                    {
                        "loc": ["body", "current_password"],
                        "msg": "The current password is wrong",
                        "type": "value_error",
                    }
                ]
            },
            after_rollback=[_note],
        )
    user.password_hash = hash_password(new)
    user.password_changed_at = utcnow()
    revoke_user_tokens(session, user)
