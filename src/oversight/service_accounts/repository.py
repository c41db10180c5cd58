"""Every query about service accounts."""

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from oversight.db.keyset import Key, PageSlice, equals, keyset
from oversight.service_accounts.models import ServiceAccount


def by_client_id(session: Session, client_id: str) -> ServiceAccount | None:
    return session.scalars(
        select(ServiceAccount).where(ServiceAccount.client_id == client_id)
    ).first()


def listing(
    session: Session,
    page: PageSlice,
    reach: uuid.UUID | None,
    agency_id: uuid.UUID | None = None,
    is_active: bool | None = None,
) -> tuple[list[ServiceAccount], Key | None]:
    """Partner systems newest first, within `reach` (one agency, or None for all)."""
    sa = ServiceAccount
    stmt = select(sa).where(
        *equals((sa.agency_id, reach), (sa.agency_id, agency_id), (sa.is_active, is_active))
    )
    return keyset(session, stmt, [sa.created_at, sa.id], page)


def responsible_person(session: Session, sa_id: uuid.UUID) -> uuid.UUID | None:
    return session.scalar(
        select(ServiceAccount.responsible_user_id).where(ServiceAccount.id == sa_id)
    )
