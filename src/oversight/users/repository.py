"""Every query about users."""

import uuid

from sqlalchemy import ColumnElement, String, cast, func, select
from sqlalchemy.orm import Session

from oversight.db.keyset import Key, PageSlice, equals, keyset
from oversight.users.models import User


def holds_role(role: str) -> ColumnElement[bool]:
    """`roles` (a JSON list) contains `role`; the quotes keep `admin` from `agency_admin`."""
    return cast(User.roles, String).contains(f'"{role}"')


def by_email(session: Session, email: str) -> User | None:
    return session.scalars(select(User).where(User.email == email)).first()


def email_holder(session: Session, email: str, except_id: uuid.UUID | None = None) -> User | None:
    """Another user already holding this email."""
    stmt = select(User).where(User.email == email)
    if except_id is not None:
        stmt = stmt.where(User.id != except_id)
    return session.scalars(stmt.limit(1)).first()


def listing(
    session: Session,
    page: PageSlice,
    reach: uuid.UUID | None,
    agency_id: uuid.UUID | None = None,
    role: str | None = None,
    is_active: bool | None = None,
) -> tuple[list[User], Key | None]:
    """Users newest first, within `reach` (one agency, or None for all)."""
    filters = equals(
        (User.agency_id, reach), (User.agency_id, agency_id), (User.is_active, is_active)
    )
    if role is not None:
        filters.append(holds_role(role))
    stmt = select(User).where(*filters)
    return keyset(session, stmt, [User.created_at, User.id], page)


def active_admins(session: Session, except_id: uuid.UUID | None = None) -> int:
    stmt = select(func.count()).select_from(User).where(User.is_active, holds_role("admin"))
    if except_id is not None:
        stmt = stmt.where(User.id != except_id)
    return session.scalar(stmt) or 0


def any_exist(session: Session) -> bool:
    return session.scalar(select(User.id).limit(1)) is not None


def any_admin(session: Session) -> bool:
    """Whether anyone, active or not, holds the admin role."""
    return session.scalar(select(User.id).where(holds_role("admin")).limit(1)) is not None
