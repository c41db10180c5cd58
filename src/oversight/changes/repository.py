"""Every query of the change feed: events after a position, joined to the items the reader
may read now through the classified repositories (the one policy, never a copy)."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, and_, false, func, or_, select
from sqlalchemy.orm import Session

from oversight.access.repository import ClassifiedRepository
from oversight.auth.principal import Principal
from oversight.changes.models import ChangeEvent


def readable(
    session: Session,
    principal: Principal,
    resources: Sequence[str],
    columns: tuple[Any, Any] = (ChangeEvent.resource_type, ChangeEvent.resource_id),
) -> ColumnElement[bool]:
    """SQL true for the rows about an item of `resources` that `principal` reads now (an
    event by default; `columns` names another table's resource type and id columns)."""
    kind, item = columns
    terms = [
        and_(
            kind == resource,
            item.in_(ClassifiedRepository.of(resource)(session, principal).readable_ids()),
        )
        for resource in resources
    ]
    return or_(*terms) if terms else false()


def head(session: Session) -> int:
    """The highest position committed: every lower one is committed too (migration 0009)."""
    return session.scalar(select(func.coalesce(func.max(ChangeEvent.position), 0))) or 0


def after(
    session: Session,
    principal: Principal,
    position: int,
    upto: int,
    resources: Sequence[str],
    kinds: Sequence[str],
    limit: int,
) -> list[ChangeEvent]:
    """Up to `limit` readable events in (position, upto], in feed order."""
    stmt = select(ChangeEvent).where(
        ChangeEvent.position > position,
        ChangeEvent.position <= upto,
        readable(session, principal, resources),
    )
    if kinds:
        stmt = stmt.where(ChangeEvent.type.in_(kinds))
    return list(session.scalars(stmt.order_by(ChangeEvent.position).limit(limit)))
