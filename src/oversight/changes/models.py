"""The outbox: one content-free event per change, and the counter that orders them."""

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, Index, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from oversight.db import Base, UUIDPk, utcnow


class ChangeEvent(UUIDPk, Base):
    """`position` is the feed order: given at commit under the counter's lock (migration
    0009; docs/architecture.md, "Change feed"), so it is NULL only inside the writing
    transaction and grows in the order transactions commit."""

    __tablename__ = "change_event"

    position: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    type: Mapped[str] = mapped_column(String(64))
    resource_type: Mapped[str] = mapped_column(String(32))
    resource_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    version: Mapped[int]
    at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_change_event_resource", "resource_type", "resource_id"),)


class ChangeCounter(Base):
    """One row: the last feed position handed out."""

    __tablename__ = "change_counter"

    id: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)
