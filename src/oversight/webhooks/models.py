"""A webhook subscription, its delivery state, and one delivery per event and webhook."""

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from oversight.audit.changes import Audited
from oversight.db import Base, Timestamps, UUIDPk, Versioned, utcnow


class Webhook(Versioned, UUIDPk, Timestamps, Audited, Base):
    """`principal_id` is the service account of the agency the webhook delivers as: an event
    goes out only if that principal may read the item when it is delivered."""

    __tablename__ = "webhook"
    __audit_resource__ = "webhook"
    __audit_metadata__ = frozenset(
        {"id", "agency_id", "principal_id", "url", "event_types", "is_active"}
        | {"disabled_reason", "created_by", "version"}
    )
    __audit_secret__ = frozenset({"secret"})

    agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agency.id"), index=True)
    principal_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("service_account.id"))
    url: Mapped[str] = mapped_column(String(2000))
    event_types: Mapped[list[Any]] = mapped_column(default=list)
    # The signing key (`whsec_…`): the HMAC needs it in clear; it is never audited or shown
    # again after creation and rotation.
    secret: Mapped[str] = mapped_column(String(100))
    secret_rotated_at: Mapped[datetime | None]
    is_active: Mapped[bool] = mapped_column(default=True)
    disabled_reason: Mapped[str | None] = mapped_column(String(200))
    created_by: Mapped[uuid.UUID | None] = mapped_column(Uuid)

    def audit_step(self, op: str, changes: dict[str, Any]) -> str | None:
        if op == "update":
            if "secret_rotated_at" in changes:
                return "rotate_secret"
            active = changes.get("is_active")
            if isinstance(active, dict) and active.get("after") is False:
                return "disable"
            if isinstance(active, dict) and active.get("after") is True:
                return "enable"
        return None


class WebhookState(Base):
    """Where a webhook's fan-out stands in the feed, and its run of failures: changed by the
    worker on every pass, so kept apart from the audited, versioned subscription."""

    __tablename__ = "webhook_state"

    webhook_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("webhook.id", ondelete="CASCADE"), primary_key=True
    )
    last_position: Mapped[int] = mapped_column(BigInteger, default=0)
    consecutive_failures: Mapped[int] = mapped_column(default=0)


class DeliveryStatus(StrEnum):
    pending = "pending"
    delivered = "delivered"
    failed = "failed"  # retried for 24 h, or the webhook was disabled
    withheld = "withheld"  # its principal may not read the item (now): never sent


class WebhookDelivery(UUIDPk, Base):
    """One event for one webhook: its `id` is the `webhook-id` of every attempt."""

    __tablename__ = "webhook_delivery"

    webhook_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("webhook.id", ondelete="CASCADE"))
    event_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("change_event.id"))
    type: Mapped[str] = mapped_column(String(64))
    resource_type: Mapped[str | None] = mapped_column(String(32))
    resource_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    version: Mapped[int | None]
    event_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(String(16), default=DeliveryStatus.pending.value)
    attempts: Mapped[int] = mapped_column(default=0)
    last_status_code: Mapped[int | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    first_attempt_at: Mapped[datetime | None]
    last_attempt_at: Mapped[datetime | None]
    next_attempt_at: Mapped[datetime | None] = mapped_column(default=utcnow)
    leased_until: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]

    __table_args__ = (
        UniqueConstraint("webhook_id", "event_id"),
        Index("ix_webhook_delivery_due", "status", "next_attempt_at"),
        Index("ix_webhook_delivery_webhook_created", "webhook_id", "created_at", "id"),
    )
