"""Action items agreed by the group, owned by an agency, and their append-only progress log."""

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, Uuid, event, func, literal
from sqlalchemy.orm import Mapped, column_property, mapped_column

from oversight.access.models import (
    CLASSIFIED_METADATA,
    Classified,
    note_reclassification,
    recipient_tables,
)
from oversight.actions.status import ActionStatus, Priority
from oversight.audit.changes import Audited
from oversight.auth.scopes import Scope
from oversight.db import Base, Timestamps, UUIDPk, Versioned, utcnow

LAST_DAY = literal(date(9999, 12, 31))


class ActionItem(Versioned, UUIDPk, Timestamps, Classified, Audited, Base):
    """`agency_id` is the creating agency (O); `owner_agency_id` the agency that must act."""

    __tablename__ = "action_item"
    __audit_resource__ = "action"
    __audit_metadata__ = (
        CLASSIFIED_METADATA
        | {"meeting_id", "bulletin_id", "owner_agency_id", "assignee_user_id", "due_date"}
        | {"priority", "status", "closed_at"}
    )
    __write_scope__ = Scope.actions_write.value
    # The owner agency reads the actions it must take (but not a RED one it is not named on).
    __reader_agency__ = "owner_agency_id"
    __recipient_agency_table__, __recipient_user_table__ = recipient_tables("action_item")

    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    meeting_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("meeting.id"), index=True)
    bulletin_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("bulletin.id"), index=True)
    owner_agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agency.id"), index=True)
    assignee_user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("user_account.id"), index=True
    )
    due_date: Mapped[date | None] = mapped_column()
    priority: Mapped[Priority] = mapped_column(String(8), default=Priority.medium)
    status: Mapped[ActionStatus] = mapped_column(String(16), default=ActionStatus.open)
    closed_at: Mapped[datetime | None]

    # Soonest due first, those without a date last: the board's tracker order.
    due_sort: Mapped[date] = column_property(func.coalesce(due_date, LAST_DAY))

    __table_args__ = (
        Index("ix_action_item_created_at_id", "created_at", "id"),
        Index("ix_action_item_status_due_date", "status", "due_date"),
    )

    def audit_step(self, op: str, changes: dict[str, Any]) -> str | None:
        if op == "update" and note_reclassification(self, changes):
            return "reclassify"
        return "status_change" if op == "update" and "status" in changes else None


class ActionUpdate(UUIDPk, Audited, Base):
    """One entry of an action's progress log: a note, and the status change it made, if any."""

    __tablename__ = "action_update"
    __audit_resource__ = "action_update"
    __audit_metadata__ = frozenset(
        {"id", "action_id", "author_id", "author_kind", "author_agency_id", "from_status"}
        | {"to_status"}
    )

    action_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("action_item.id", ondelete="CASCADE"))
    author_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    author_kind: Mapped[str] = mapped_column(String(8))
    author_agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agency.id"))
    note: Mapped[str | None] = mapped_column(Text)
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_action_update_action_created", "action_id", "created_at", "id"),)


@event.listens_for(ActionUpdate, "before_update")
@event.listens_for(ActionUpdate, "before_delete")
def _append_only(*_: Any) -> None:
    raise RuntimeError("the progress log of an action is append-only")
