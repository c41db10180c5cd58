"""What an action refers to (a meeting, a bulletin), seen through the caller's classification.

Looked up by resource name through the classified repositories, so actions need not import
the domains they point at (a meeting's page lists its actions: the import goes that way).
"""

import uuid
from collections.abc import Iterable

from sqlalchemy.orm import Session

from oversight.access.repository import ClassifiedRepository
from oversight.auth.principal import Principal
from oversight.errors import Unprocessable


def readable(session: Session, principal: Principal, resource: str, item_id: uuid.UUID) -> bool:
    return ClassifiedRepository.of(resource)(session, principal).exists(item_id)


def visible(
    session: Session, principal: Principal, resource: str, ids: Iterable[uuid.UUID | None]
) -> set[uuid.UUID]:
    return ClassifiedRepository.of(resource)(session, principal).visible_ids(ids)


def check(
    session: Session,
    principal: Principal,
    meeting_id: uuid.UUID | None,
    bulletin_id: uuid.UUID | None,
) -> None:
    """Links only to items the caller reads; the answer never says whether others exist."""
    for field, resource, item_id in (
        ("meeting_id", "meeting", meeting_id),
        ("bulletin_id", "bulletin", bulletin_id),
    ):
        if item_id is not None and not readable(session, principal, resource, item_id):
            raise Unprocessable.for_field(
                field, f"No {resource} you can read has this id", "unknown_link"
            )
