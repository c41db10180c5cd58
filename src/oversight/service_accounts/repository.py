"""Every query about service accounts."""

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from oversight.accounts.models import ServiceAccount


def by_client_id(session: Session, client_id: str) -> ServiceAccount | None:
    return session.scalars(
        select(ServiceAccount).where(ServiceAccount.client_id == client_id)
    ).first()


def responsible_person(session: Session, sa_id: uuid.UUID) -> uuid.UUID | None:
    return session.scalar(
        select(ServiceAccount.responsible_user_id).where(ServiceAccount.id == sa_id)
    )
