"""What a worker's pass takes: read first, then taken by writes that check it still holds.

SQLite has one writer at a time, and a write transaction holds that lock from its start. So
a pass there first reads, in a plain transaction that takes no lock, all it would do: the
webhooks behind the feed's head and the events each should hear of, the due deliveries, and
whether each webhook's principal reads each item now. Then one short write takes it, every
statement re-checking what was read: a webhook's position moves on (and its new deliveries
are inserted) only if it is still where it was read and the webhook is still active at the
version read; a delivery is leased only if it is still pending, due and unleased and its
webhook still active at the version read. So two workers cannot both take one delivery, and
a webhook disabled, re-pointed or given a new secret in between has nothing sent as it was.
On PostgreSQL the reads lock what they read (`FOR UPDATE SKIP LOCKED`) in the transaction of
the writes, so workers share the queue without contending (docs/architecture.md, "Change
feed and webhooks").
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from operator import attrgetter, itemgetter
from typing import Any

from sqlalchemy import ColumnElement, delete, exists, insert, select, update
from sqlalchemy.orm import Session

from oversight.auth.principal import Principal
from oversight.changes import repository as feed
from oversight.webhooks import announce, repository
from oversight.webhooks.models import DeliveryStatus, Webhook, WebhookDelivery, WebhookState
from oversight.webhooks.sending import Claim

FAN_OUT_EVENTS = 500
FAN_OUT_WEBHOOKS = 100
UNCHANGED = {"synchronize_session": False}
FIELDS = ("id", "type", "event_at", "resource_type", "resource_id", "version")


@dataclass(frozen=True, slots=True)
class Hook:
    """A webhook as read: what its deliveries are signed and sent with, and as whom."""

    id: uuid.UUID
    version: int
    url: str
    secret: str
    event_types: frozenset[str]
    active: bool
    principal: Principal | None  # None: it, or its agency, reads nothing now

    def hears(self, kind: str, resource_type: str) -> bool:
        return not self.event_types or bool({kind, resource_type} & self.event_types)


@dataclass(slots=True)
class Move:
    """A webhook's fan-out: its feed position from `read` to `to`, the deliveries it makes."""

    hook: Hook
    read: int
    to: int
    rows: list[dict[str, Any]]


@dataclass(slots=True)
class Plan:
    """All a pass would write: nothing of it is written yet."""

    now: datetime
    room: int  # how many of the fan-out's new deliveries this pass sends itself
    moves: list[Move] = field(default_factory=list)
    due: list[tuple[Hook, list[Claim]]] = field(default_factory=list)
    hidden: list[uuid.UUID] = field(default_factory=list)  # its principal may not read it
    orphaned: list[uuid.UUID] = field(default_factory=list)  # its webhook is disabled
    made: int = 0  # deliveries the fan-out inserted (once taken)

    def __bool__(self) -> bool:
        return bool(self.moves or self.due or self.hidden or self.orphaned)


def read(session: Session, clock: Callable[[], datetime], batch: int, lock: bool = False) -> Plan:
    """What is due, and what the fan-out would make; `lock` (PostgreSQL) locks what is read
    for the transaction, and the writes must then follow in it."""
    now = clock()
    hooks: dict[uuid.UUID, Hook | None] = {}

    def hook_of(webhook_id: uuid.UUID) -> Hook | None:
        if webhook_id not in hooks:
            hooks[webhook_id] = _hook(session, webhook_id)
        return hooks[webhook_id]

    taken = repository.due(session, now, batch, lock)
    plan = Plan(now, batch)
    by_hook: dict[uuid.UUID, list[WebhookDelivery]] = {}
    for delivery in taken:
        by_hook.setdefault(delivery.webhook_id, []).append(delivery)
    for webhook_id, deliveries in by_hook.items():
        hook = hook_of(webhook_id)
        if hook is None or not hook.active:
            plan.orphaned.extend(d.id for d in deliveries)
            continue
        heard = _heard(session, hook, deliveries)
        claims = []
        for d in deliveries:
            if d.resource_type is not None and (d.resource_type, d.resource_id) not in heard:
                plan.hidden.append(d.id)  # never sent, and nothing left naming the item
            else:
                claims.append(_claim(hook, attrgetter(*FIELDS)(d)))
        if claims:
            plan.due.append((hook, claims))
    plan.room = batch - sum(len(c) for _, c in plan.due)
    head = feed.head(session)
    for webhook_id, position in repository.behind(session, head, FAN_OUT_WEBHOOKS, lock):
        hook = hook_of(webhook_id)
        if hook is None:
            continue  # removed since: its state goes with it
        if hook.principal is None:  # it hears of nothing while it reads nothing
            plan.moves.append(Move(hook, position, head, []))
            continue
        events = repository.events_between(session, position, head, FAN_OUT_EVENTS)
        heard = announce.readable(
            session, hook.principal, ((e.resource_type, e.resource_id) for e in events)
        )
        rows = [
            repository.delivery_row(hook.id, e, clock())
            for e in events
            if (e.resource_type, e.resource_id) in heard and hook.hears(e.type, e.resource_type)
        ]
        full = len(events) == FAN_OUT_EVENTS
        plan.moves.append(
            Move(hook, position, (events[-1].position or head) if full else head, rows)
        )
    return plan


def take(session: Session, plan: Plan, lease: timedelta) -> list[Claim]:
    """Write the plan, each statement only where what was read still holds; the claims
    leased (to be sent by this worker), in the order they were read."""
    until = plan.now + lease
    claims: list[Claim] = []
    for hook, due in plan.due:
        leased = set(
            session.scalars(
                update(WebhookDelivery)
                .where(WebhookDelivery.id.in_([c.delivery_id for c in due]))
                .where(*repository.due_now(plan.now), _unchanged(hook))
                .values(leased_until=until)
                .returning(WebhookDelivery.id)
                .execution_options(**UNCHANGED)
            )
        )
        claims.extend(c for c in due if c.delivery_id in leased)
    if plan.hidden:
        session.execute(
            delete(WebhookDelivery)
            .where(WebhookDelivery.id.in_(plan.hidden), *repository.due_now(plan.now))
            .execution_options(**UNCHANGED)
        )
    if plan.orphaned:
        session.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.id.in_(plan.orphaned), *repository.due_now(plan.now))
            .values(status=DeliveryStatus.failed.value, last_error="the webhook is disabled")
            .execution_options(**UNCHANGED)
        )
    room = plan.room
    for move in plan.moves:
        moved = session.execute(
            update(WebhookState)
            .where(WebhookState.webhook_id == move.hook.id)
            .where(WebhookState.last_position == move.read, _unchanged(move.hook))
            .values(last_position=move.to)
            .execution_options(**UNCHANGED)
        ).rowcount
        if not moved or not move.rows:
            continue  # another worker moved it, or the webhook changed: the next pass sees
        for row in move.rows[: max(room, 0)]:
            row["leased_until"] = until
            claims.append(_claim(move.hook, itemgetter(*FIELDS)(row)))
        room -= len(move.rows)
        session.execute(insert(WebhookDelivery.__table__), move.rows)
        plan.made += len(move.rows)
    return claims


def _unchanged(hook: Hook) -> ColumnElement[bool]:
    """The webhook is still active, at the version read (a new secret or URL bumps it)."""
    return exists().where(
        Webhook.id == hook.id, Webhook.is_active.is_(True), Webhook.version == hook.version
    )


def _hook(session: Session, webhook_id: uuid.UUID) -> Hook | None:
    webhook = session.execute(
        select(
            Webhook.version,
            Webhook.url,
            Webhook.secret,
            Webhook.event_types,
            Webhook.is_active,
            Webhook.principal_id,
        ).where(Webhook.id == webhook_id)
    ).first()
    if webhook is None:
        return None
    return Hook(
        webhook_id,
        webhook.version,
        webhook.url,
        webhook.secret,
        frozenset(webhook.event_types or ()),
        webhook.is_active,
        announce.principal_of(session, webhook.principal_id) if webhook.is_active else None,
    )


def _heard(
    session: Session, hook: Hook, deliveries: list[WebhookDelivery]
) -> set[tuple[str, uuid.UUID]]:
    """Which items of these deliveries the webhook's principal reads now."""
    if hook.principal is None:
        return set()
    return announce.readable(
        session, hook.principal, ((d.resource_type, d.resource_id) for d in deliveries)
    )


def _claim(hook: Hook, values: tuple[Any, ...]) -> Claim:
    """A claim on a delivery, from its `FIELDS` (as read, or about to be inserted)."""
    return Claim(values[0], hook.id, hook.url, hook.secret, *values[1:])
