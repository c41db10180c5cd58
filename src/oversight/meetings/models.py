"""A meeting of the group, and its minutes: one row per version of the minutes."""

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from oversight.access.models import (
    CLASSIFIED_METADATA,
    Classified,
    note_reclassification,
    recipient_tables,
)
from oversight.audit.changes import Audited
from oversight.auth.scopes import Scope
from oversight.db import Base, Timestamps, UUIDPk, Versioned


class AttendanceStatus(StrEnum):
    present = "present"
    apologies = "apologies"
    absent = "absent"


class MinutesStatus(StrEnum):
    draft = "draft"
    approved = "approved"
    published = "published"


class Meeting(Versioned, UUIDPk, Timestamps, Classified, Audited, Base):
    """`author_id` is who created the meeting; `agency_id` (O) the agency that owns it."""

    __tablename__ = "meeting"
    __audit_resource__ = "meeting"
    __audit_metadata__ = CLASSIFIED_METADATA | {"held_at", "chair_user_id"}
    __write_scope__ = Scope.meetings_write.value
    __recipient_agency_table__, __recipient_user_table__ = recipient_tables("meeting")

    title: Mapped[str] = mapped_column(String(300))
    held_at: Mapped[datetime]
    location: Mapped[str | None] = mapped_column(String(300))
    chair_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    agenda: Mapped[list[Any]] = mapped_column(default=list)
    # [{agency_id, name, status}], replaced whole by PUT /meetings/{id}/attendance. `name` is
    # the attendee's own name, null when it is an agency's (looked up when read: migration
    # 0014).
    attendance: Mapped[list[Any]] = mapped_column(default=list)

    __table_args__ = (Index("ix_meeting_held_at_id", "held_at", "id"),)

    def audit_step(self, op: str, changes: dict[str, Any]) -> str | None:
        if op == "update" and note_reclassification(self, changes):
            return "reclassify"
        return "attendance_change" if op == "update" and set(changes) == {"attendance"} else None


class MeetingMinutes(UUIDPk, Timestamps, Audited, Base):
    """One version of a meeting's minutes. Only the newest version can be a draft: a new
    version is started only by reopening approved minutes, so older ones stay as approved."""

    __tablename__ = "meeting_minutes"
    __audit_resource__ = "minutes"
    __audit_metadata__ = frozenset(
        {"id", "meeting_id", "revision", "status", "drafted_by", "approved_by", "approved_at"}
        | {"published_by", "published_at", "reopened_by"}
    )

    meeting_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"))
    revision: Mapped[int]
    body: Mapped[str] = mapped_column(Text, default="")
    decisions: Mapped[list[Any]] = mapped_column(default=list)
    status: Mapped[MinutesStatus] = mapped_column(String(16), default=MinutesStatus.draft)
    # Every principal who wrote this version: none of them may approve it (four eyes).
    drafted_by: Mapped[list[Any]] = mapped_column(default=list)
    approved_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    approved_at: Mapped[datetime | None]
    published_by: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    published_at: Mapped[datetime | None]
    reopened_by: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    reopen_reason: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (UniqueConstraint("meeting_id", "revision"),)

    __audit_status_steps__ = {MinutesStatus.approved: "approve", MinutesStatus.published: "publish"}

    def audit_step(self, op: str, changes: dict[str, Any]) -> str | None:
        return "reopen" if op == "create" and self.reopen_reason is not None else None
