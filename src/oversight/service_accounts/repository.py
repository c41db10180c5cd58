"""Every query about service accounts."""

import uuid

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from oversight.service_accounts.models import ServiceAccount


def get(session: Session, sa_id: uuid.UUID, agency_id: uuid.UUID | None) -> ServiceAccount | None:
    sa = session.get(ServiceAccount, sa_id)
    if sa is None or (agency_id is not None and sa.agency_id != agency_id):
        return None
    return sa


def by_client_id(session: Session, client_id: str) -> ServiceAccount | None:
    return session.scalars(
        select(ServiceAccount).where(ServiceAccount.client_id == client_id)
    ).first()


def list_stmt(
    reach: uuid.UUID | None, agency_id: uuid.UUID | None = None, is_active: bool | None = None
) -> Select[tuple[ServiceAccount]]:
    stmt = select(ServiceAccount)
    if reach is not None:
        stmt = stmt.where(ServiceAccount.agency_id == reach)
    if agency_id is not None:
        stmt = stmt.where(ServiceAccount.agency_id == agency_id)
    if is_active is not None:
        stmt = stmt.where(ServiceAccount.is_active == is_active)
    return stmt


def responsible_person(session: Session, sa_id: uuid.UUID) -> uuid.UUID | None:
    return session.scalar(
        select(ServiceAccount.responsible_user_id).where(ServiceAccount.id == sa_id)
    )
