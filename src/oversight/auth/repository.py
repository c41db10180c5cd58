"""Every query of the auth layer: accounts by credential, token holders, refresh tokens,
revocation, attempt counters."""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Row, Select, bindparam, case, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from oversight.accounts.models import Agency, AgencyStatus, ServiceAccount, User
from oversight.auth.models import AuthCounter, RefreshToken
from oversight.db import utcnow


@dataclass(frozen=True, slots=True)
class Login:
    """What a password login needs of an account, read before the hash is checked."""

    user_id: uuid.UUID
    agency_id: uuid.UUID
    password_hash: str
    may_log_in: bool


def login_of(session: Session, email: str) -> Login | None:
    row = session.execute(
        select(User.id, User.agency_id, User.password_hash, User.is_active, Agency.status)
        .join(Agency, Agency.id == User.agency_id)
        .where(User.email == email)
    ).first()
    if row is None:
        return None
    active = row.is_active and row.status == AgencyStatus.active
    return Login(row.id, row.agency_id, row.password_hash, active)


def active_member(session: Session, email: str) -> User | None:
    """The user with this email, if both the account and its agency are active."""
    row = session.execute(
        select(User, Agency.status)
        .join(Agency, Agency.id == User.agency_id)
        .where(User.email == email)
    ).first()
    if row is None or not row[0].is_active or row[1] != AgencyStatus.active:
        return None
    return row[0]


def user_for_login(session: Session, user_id: uuid.UUID) -> tuple[User, Agency] | None:
    row = session.execute(
        select(User, Agency).join(Agency, Agency.id == User.agency_id).where(User.id == user_id)
    ).first()
    return (row[0], row[1]) if row else None


def user_of(session: Session, user_id: uuid.UUID) -> User | None:
    return session.get(User, user_id)


def _standing_statement(holder: Any, grants: Any) -> Select[Any]:
    return (
        select(
            holder.is_active,
            holder.token_version,
            grants.label("grants"),
            holder.agency_id,
            Agency.status,
            Agency.token_version.label("agency_version"),
        )
        .join(Agency, Agency.id == holder.agency_id)
        .where(holder.id == bindparam("holder_id"))
    )


# Built once, as the page's names are (accounts/names.py): this runs on every request. A
# person's scopes follow from its roles; a partner system's are granted to it.
_STANDING = {
    "user": _standing_statement(User, User.roles),
    "service": _standing_statement(ServiceAccount, ServiceAccount.scopes),
}


def holder_standing(session: Session, kind: str, holder_id: uuid.UUID) -> Row[Any] | None:
    """What an access token's claims are checked against, in one indexed lookup: the
    holder's standing and grants, and its agency's."""
    # On the connection: the session's ORM layer around a statement of plain columns cost
    # more than the lookup itself, and nothing is pending when a request's token is checked.
    return session.connection().execute(_STANDING[kind], {"holder_id": holder_id}).first()


def client_of(session: Session, client_id: str) -> tuple[ServiceAccount, Agency] | None:
    row = session.execute(
        select(ServiceAccount, Agency)
        .join(Agency, Agency.id == ServiceAccount.agency_id)
        .where(ServiceAccount.client_id == client_id)
    ).first()
    return (row[0], row[1]) if row else None


def refresh_token(session: Session, digest: str) -> RefreshToken | None:
    return session.scalars(select(RefreshToken).where(RefreshToken.token_hash == digest)).first()


def claim_refresh(session: Session, token_id: uuid.UUID, now: datetime) -> bool:
    """Mark a refresh token used, unless a concurrent refresh already did (single use)."""
    claimed = session.execute(
        update(RefreshToken)
        .where(RefreshToken.id == token_id, RefreshToken.used_at.is_(None))
        .values(used_at=now)
    ).rowcount
    return claimed == 1


def revoke_family(session: Session, family_id: uuid.UUID) -> None:
    session.execute(
        update(RefreshToken)
        .where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def revoke_refresh_of_user(session: Session, user_id: uuid.UUID) -> None:
    session.execute(
        update(RefreshToken)
        .where(RefreshToken.user_id == user_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def revoke_refresh_of_agency(session: Session, agency_id: uuid.UUID) -> None:
    people = select(User.id).where(User.agency_id == agency_id)
    session.execute(
        update(RefreshToken)
        .where(RefreshToken.user_id.in_(people), RefreshToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def count_attempt(
    session: Session, counter_key: str, now: datetime, window: timedelta, cap: int
) -> tuple[int, datetime]:
    """Count one attempt and read its count and window start back, in one atomic upsert; a
    window older than `window` starts again at 1, and a count stops at `cap`."""
    stale = AuthCounter.window_started_at <= now - window
    insert = (postgresql if session.get_bind().dialect.name == "postgresql" else sqlite).insert
    stmt = insert(AuthCounter).values(key=counter_key, window_started_at=now, count=1)
    capped = case((AuthCounter.count >= cap, cap), else_=AuthCounter.count + 1)
    stmt = stmt.on_conflict_do_update(
        index_elements=[AuthCounter.key],
        set_={
            "count": case((stale, 1), else_=capped),
            "window_started_at": case(
                (stale, stmt.excluded.window_started_at), else_=AuthCounter.window_started_at
            ),
        },
    ).returning(AuthCounter.count, AuthCounter.window_started_at)
    count, started = session.execute(stmt).one()
    return count, started


def attempts(session: Session, counter_key: str) -> tuple[int, datetime] | None:
    """A counter's count and window start, without counting an attempt."""
    row = session.execute(
        select(AuthCounter.count, AuthCounter.window_started_at).where(
            AuthCounter.key == counter_key
        )
    ).first()
    return (row.count, row.window_started_at) if row else None


def clear_counter(session: Session, counter_key: str) -> None:
    session.execute(delete(AuthCounter).where(AuthCounter.key == counter_key))
