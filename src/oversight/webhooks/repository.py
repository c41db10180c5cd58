"""Every query of webhooks: an agency's subscriptions, their deliveries, the worker's queue."""

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Select, or_, select, update
from sqlalchemy.orm import Session

from oversight.auth.principal import Principal
from oversight.changes import repository as feed
from oversight.changes.models import ChangeEvent
from oversight.db.keyset import Key, PageSlice, keyset
from oversight.webhooks.models import DeliveryStatus, Webhook, WebhookDelivery, WebhookState


class WebhookRepository:
    """Webhooks of one agency: another agency's answer 404, as ones that do not exist."""

    def __init__(self, session: Session, principal: Principal) -> None:
        self.session = session
        self.principal = principal
        self.agency_id = principal.agency_id

    def base(self) -> Select[tuple[Webhook]]:
        return select(Webhook).where(Webhook.agency_id == self.agency_id)

    def get(self, webhook_id: uuid.UUID) -> Webhook | None:
        return self.session.scalars(self.base().where(Webhook.id == webhook_id)).first()

    def page(self, page: PageSlice) -> tuple[list[Webhook], Key | None]:
        return keyset(self.session, self.base(), [Webhook.created_at, Webhook.id], page)

    def deliveries(
        self, webhook_id: uuid.UUID, page: PageSlice, resources: Sequence[str]
    ) -> tuple[list[WebhookDelivery], Key | None]:
        """The log as the caller may see it: a delivery about an item the caller cannot
        read (now) is left out, as everywhere else; test deliveries name no item."""
        about = (WebhookDelivery.resource_type, WebhookDelivery.resource_id)
        shown = or_(
            WebhookDelivery.resource_type.is_(None),
            feed.readable(self.session, self.principal, resources, about),
        )
        stmt = select(WebhookDelivery).where(WebhookDelivery.webhook_id == webhook_id, shown)
        keys = [WebhookDelivery.created_at, WebhookDelivery.id]
        return keyset(self.session, stmt, keys, page)

    def delivery(self, webhook_id: uuid.UUID, delivery_id: uuid.UUID) -> WebhookDelivery | None:
        stmt = select(WebhookDelivery).where(
            WebhookDelivery.webhook_id == webhook_id, WebhookDelivery.id == delivery_id
        )
        return self.session.scalars(stmt).first()


# The worker's queue.


def active_states(session: Session, limit: int) -> list[WebhookState]:
    """States of active webhooks, locked for this fan-out (others skip them on PostgreSQL)."""
    stmt = (
        select(WebhookState)
        .join(Webhook, Webhook.id == WebhookState.webhook_id)
        .where(Webhook.is_active.is_(True))
        .order_by(WebhookState.webhook_id)
        .limit(limit)
        .with_for_update(of=WebhookState, skip_locked=True)
    )
    return list(session.scalars(stmt))


def events_after(session: Session, position: int, limit: int) -> list[ChangeEvent]:
    stmt = (
        select(ChangeEvent)
        .where(ChangeEvent.position > position)
        .order_by(ChangeEvent.position)
        .limit(limit)
    )
    return list(session.scalars(stmt))


def due(session: Session, now: datetime, limit: int) -> list[WebhookDelivery]:
    """Pending deliveries whose time has come and that no live worker holds."""
    stmt = (
        select(WebhookDelivery)
        .where(
            WebhookDelivery.status == DeliveryStatus.pending.value,
            WebhookDelivery.next_attempt_at <= now,
            (WebhookDelivery.leased_until.is_(None)) | (WebhookDelivery.leased_until < now),
        )
        .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list(session.scalars(stmt))


def state(session: Session, webhook_id: uuid.UUID) -> WebhookState | None:
    return session.get(WebhookState, webhook_id, with_for_update=True)


def fail_pending(session: Session, webhook_id: uuid.UUID, reason: str) -> None:
    session.execute(
        update(WebhookDelivery)
        .where(
            WebhookDelivery.webhook_id == webhook_id,
            WebhookDelivery.status == DeliveryStatus.pending.value,
        )
        .values(status=DeliveryStatus.failed.value, last_error=reason, next_attempt_at=None)
    )
