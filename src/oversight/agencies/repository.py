"""Every query about agencies."""

import uuid

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from oversight.accounts.models import Agency, AgencyStatus, Sector
from oversight.db.keyset import Key, PageSlice, equals, keyset


def get(session: Session, agency_id: uuid.UUID) -> Agency | None:
    return session.get(Agency, agency_id)


def by_slug(session: Session, slug: str) -> Agency | None:
    return session.scalars(select(Agency).where(Agency.slug == slug)).first()


def clash(
    session: Session, name: str | None, slug: str | None, except_id: uuid.UUID | None = None
) -> Agency | None:
    """Another agency already holding this name or slug."""
    conds = []
    if name is not None:
        conds.append(Agency.name == name)
    if slug is not None:
        conds.append(Agency.slug == slug)
    if not conds:
        return None
    stmt = select(Agency).where(or_(*conds))
    if except_id is not None:
        stmt = stmt.where(Agency.id != except_id)
    return session.scalars(stmt).first()


def listing(
    session: Session,
    page: PageSlice,
    status: AgencyStatus | None = None,
    sector: Sector | None = None,
) -> tuple[list[Agency], Key | None]:
    """Agencies by name."""
    stmt = select(Agency).where(*equals((Agency.status, status), (Agency.sector, sector)))
    return keyset(session, stmt, [Agency.name, Agency.id], page, descending=False)


def any_exist(session: Session) -> bool:
    return session.scalar(select(Agency.id).limit(1)) is not None


def by_name(session: Session, name: str) -> Agency | None:
    return session.scalars(select(Agency).where(Agency.name == name)).first()
