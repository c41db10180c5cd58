"""Every query about users."""

import uuid

from sqlalchemy import ColumnElement, String, cast, func, select
from sqlalchemy.orm import Session

from oversight.accounts.models import User


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
