"""Ending sessions: revocation, logout, and what disabling, suspending and password changes do."""

from sqlalchemy.orm import Session

from oversight.accounts.models import Agency, ServiceAccount, User
from oversight.audit.recorder import Actor, record
from oversight.auth import repository
from oversight.auth.passwords import secret_digest
from oversight.auth.principal import Principal


def revoke_refresh_token(session: Session, token: str) -> None:
    """RFC 7009: revoke the token's whole family; unknown tokens are silently accepted."""
    stored = repository.refresh_token(session, secret_digest(token))
    if stored is None:
        return
    repository.revoke_family(session, stored.family_id)
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
        revoke_user_tokens(session, session.get_one(User, principal.id))
    else:
        session.get_one(ServiceAccount, principal.id).token_version += 1
    record(session, "auth.logout", resource_type=principal.kind, resource_id=principal.id)


def revoke_user_tokens(session: Session, user: User) -> None:
    """Disable, password change, reset: invalidate what the user holds, at once."""
    user.token_version += 1
    repository.revoke_refresh_of_user(session, user.id)


def revoke_agency_tokens(session: Session, agency: Agency) -> None:
    """Suspension: every token of the agency's people and partner systems dies for good,
    so a reinstatement starts with fresh logins only."""
    agency.token_version += 1
    repository.revoke_refresh_of_agency(session, agency.id)
