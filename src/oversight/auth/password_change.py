"""POST /me/password as two short transactions around the hashes (see `grants`)."""

import uuid
from dataclasses import dataclass

from sqlalchemy.orm import Session

from oversight.accounts.models import User
from oversight.audit.recorder import record, set_actor
from oversight.auth import throttle
from oversight.auth.grants import Caller
from oversight.auth.principal import load_principal
from oversight.auth.revocation import revoke_user_tokens
from oversight.auth.tokens import AccessClaims
from oversight.db import utcnow
from oversight.errors import Conflict, Forbidden, ProblemError, TooManyRequests, Unprocessable

WRONG = "The current password is wrong"


@dataclass(frozen=True, slots=True)
class Started:
    user_id: uuid.UUID
    email: str
    password_hash: str


def _user(session: Session, claims: AccessClaims) -> User | ProblemError:
    principal = load_principal(session, claims)
    set_actor(session, principal.actor)
    if principal.kind != "user":
        return Forbidden("Service accounts have no password; rotate the client secret instead")
    return session.get_one(User, principal.id)


def start(session: Session, caller: Caller, claims: AccessClaims) -> Started | ProblemError:
    """Count the attempt against the account's lockout, and read the hash to check."""
    user = _user(session, claims)
    if isinstance(user, ProblemError):
        return user
    limit = throttle.login_lockout(caller.settings)
    wait = throttle.hit(session, limit, throttle.account_key(user.id))
    if wait is not None:
        record(
            session,
            "auth.lockout",
            resource_type="user",
            resource_id=user.id,
            outcome="denied",
            changes={"account": user.email},
        )
        return TooManyRequests(
            "Too many failed attempts for this account; try again later",
            headers={"Retry-After": str(wait)},
        )
    return Started(user.id, user.email, user.password_hash)


def finish(
    session: Session,
    caller: Caller,
    claims: AccessClaims,
    started: Started,
    verified: bool,
    new_hash: str | None,
) -> ProblemError | None:
    user = _user(session, claims)
    if isinstance(user, ProblemError):
        return user
    if user.password_hash != started.password_hash:
        return Conflict("The password was changed meanwhile; sign in again and retry")
    if not verified or new_hash is None:
        record(
            session,
            "auth.password_change_failed",
            resource_type="user",
            resource_id=user.id,
            outcome="failure",
        )
        return Unprocessable.for_field("current_password", WRONG)
    throttle.clear(session, throttle.account_key(user.id))
    user.password_hash = new_hash
    user.password_changed_at = utcnow()
    revoke_user_tokens(session, user)
    session.flush()
    return None
