"""Every query of webhooks: an agency's subscriptions, their deliveries, the worker's queue."""

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, Select, or_, select, update
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

    def log(
        self, webhook_id: uuid.UUID, resources: Sequence[str]
    ) -> Select[tuple[WebhookDelivery]]:
        """A webhook's deliveries as the caller may see them: one about an item the caller
        cannot read (now) is left out, as everywhere else; test deliveries name no item.
        The list and the lookup (redeliver) both start here, so what the list hides is not
        found (404) either."""
        about = (WebhookDelivery.resource_type, WebhookDelivery.resource_id)
        shown = or_(
            WebhookDelivery.resource_type.is_(None),
            feed.readable(self.session, self.principal, resources, about),
        )
        return select(WebhookDelivery).where(WebhookDelivery.webhook_id == webhook_id, shown)

    def deliveries(
        self, webhook_id: uuid.UUID, page: PageSlice, resources: Sequence[str]
    ) -> tuple[list[WebhookDelivery], Key | None]:
        keys = [WebhookDelivery.created_at, WebhookDelivery.id]
        return keyset(self.session, self.log(webhook_id, resources), keys, page)

    def delivery(
        self, webhook_id: uuid.UUID, delivery_id: uuid.UUID, resources: Sequence[str]
    ) -> WebhookDelivery | None:
        stmt = self.log(webhook_id, resources).where(WebhookDelivery.id == delivery_id)
        return self.session.scalars(stmt).first()


# The worker's queue.


def due_now(now: datetime) -> tuple[ColumnElement[bool], ...]:
    """Pending, its time come, and no live worker holds it."""
    return (
        WebhookDelivery.status == DeliveryStatus.pending.value,
        WebhookDelivery.next_attempt_at <= now,
        or_(WebhookDelivery.leased_until.is_(None), WebhookDelivery.leased_until < now),
    )


def _behind(head: int) -> Select[tuple[WebhookState]]:
    return (
        select(WebhookState)
        .join(Webhook, Webhook.id == WebhookState.webhook_id)
        .where(Webhook.is_active.is_(True), WebhookState.last_position < head)
    )


def behind(session: Session, head: int, limit: int, lock: bool) -> list[tuple[uuid.UUID, int]]:
    """Active webhooks not yet fanned out up to `head`, and where each stands; `lock` locks
    their states for this transaction's fan-out (others skip them)."""
    stmt = (
        _behind(head)
        .with_only_columns(WebhookState.webhook_id, WebhookState.last_position)
        .order_by(WebhookState.webhook_id)
        .limit(limit)
    )
    if lock:
        stmt = stmt.with_for_update(of=WebhookState, skip_locked=True)
    return [(row.webhook_id, row.last_position) for row in session.execute(stmt)]


def events_between(session: Session, position: int, upto: int, limit: int) -> list[ChangeEvent]:
    """Up to `limit` events in (position, upto], in feed order, whoever may read them."""
    stmt = (
        select(ChangeEvent)
        .where(ChangeEvent.position > position, ChangeEvent.position <= upto)
        .order_by(ChangeEvent.position)
        .limit(limit)
    )
    return list(session.scalars(stmt))


def due(session: Session, now: datetime, limit: int, lock: bool) -> list[WebhookDelivery]:
    """Up to `limit` due deliveries, oldest first; `lock` locks them (others skip them)."""
    if limit <= 0:
        return []
    stmt = (
        select(WebhookDelivery)
        .where(*due_now(now))
        .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
        .limit(limit)
    )
    if lock:
        stmt = stmt.with_for_update(skip_locked=True)
    return list(session.scalars(stmt))


def pending(session: Session, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, WebhookDelivery]:
    """These deliveries, if still pending, locked to be settled (in id order: no deadlock)."""
    stmt = (
        select(WebhookDelivery)
        .where(
            WebhookDelivery.id.in_(ids),
            WebhookDelivery.status == DeliveryStatus.pending.value,
        )
        .order_by(WebhookDelivery.id)
        .with_for_update()
    )
    return {d.id: d for d in session.scalars(stmt)}


def state(session: Session, webhook_id: uuid.UUID) -> WebhookState | None:
    return session.get(WebhookState, webhook_id, with_for_update=True)


def reset_failures(session: Session, webhook_id: uuid.UUID) -> None:
    """A webhook's run of failures is over; a row already at 0 is not written (nor locked)."""
    session.execute(
        update(WebhookState)
        .where(WebhookState.webhook_id == webhook_id, WebhookState.consecutive_failures != 0)
        .values(consecutive_failures=0)
        .execution_options(synchronize_session=False)
    )


def fail_pending(session: Session, webhook_id: uuid.UUID, reason: str) -> None:
    session.execute(
        update(WebhookDelivery)
        .where(
            WebhookDelivery.webhook_id == webhook_id,
            WebhookDelivery.status == DeliveryStatus.pending.value,
        )
        .values(status=DeliveryStatus.failed.value, last_error=reason, next_attempt_at=None)
    )


def delivery_row(webhook_id: uuid.UUID, event: ChangeEvent, now: datetime) -> dict[str, object]:
    """A new pending delivery of `event` to the webhook, due now (one row of a bulk insert)."""
    return {
        "id": uuid.uuid4(),
        "webhook_id": webhook_id,
        "event_id": event.id,
        "type": event.type,
        "resource_type": event.resource_type,
        "resource_id": event.resource_id,
        "version": event.version,
        "event_at": event.at,
        "status": DeliveryStatus.pending.value,
        "attempts": 0,
        "created_at": now,
        "next_attempt_at": now,
        "leased_until": None,
    }
