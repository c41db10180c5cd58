"""`oversight worker`: fans the outbox out to webhooks and delivers, at least once.

Each pass is short transactions around the HTTP calls, never one held across them:
1. fan-out: for each active webhook (its state row locked, `SKIP LOCKED`), the events after
   its position that its principal reads now become deliveries, and the position moves on;
2. claim: due deliveries are leased (`FOR UPDATE SKIP LOCKED`, then `leased_until`), so
   several workers share the queue and a killed worker's leases simply run out;
3. each claimed delivery (the principal may read the item *now*, checked in the claim) is
   signed and POSTed, `concurrency` at a time; 4. its outcome is settled, each in its own
   transaction: delivered, or retried later with backoff.
SQLite has one writer at a time: run one worker there (docs/architecture.md).
"""

import json
import random
import socket
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import httpx
from sqlalchemy import insert
from sqlalchemy.orm import Session, sessionmaker

from oversight.audit.recorder import SYSTEM
from oversight.changes import repository as feed
from oversight.changes.models import ChangeEvent
from oversight.db import unit_of_work, utcnow
from oversight.webhooks import announce, repository, targets
from oversight.webhooks.models import DeliveryStatus, Webhook, WebhookDelivery
from oversight.webhooks.signing import sign

TIMEOUT_SECONDS = 10.0
RETRY_FOR = timedelta(hours=24)
DISABLE_AFTER = 20
FIRST_GAP_SECONDS = 5.0
MAX_GAP_SECONDS = 3600.0
FAN_OUT_EVENTS = 500


@dataclass(frozen=True, slots=True)
class Claim:
    delivery_id: uuid.UUID
    url: str
    secret: str
    body: bytes


@dataclass(frozen=True, slots=True)
class Outcome:
    ok: bool
    status_code: int | None = None
    error: str | None = None


def backoff(attempts: int, rng: Callable[[], float] = random.random) -> timedelta:
    """Exponential, with ±25 % jitter: each gap is still longer than the one before."""
    base = min(FIRST_GAP_SECONDS * 2 ** (attempts - 1), MAX_GAP_SECONDS)
    return timedelta(seconds=base * (0.75 + 0.5 * rng()))


@dataclass
class Worker:
    factory: "sessionmaker[Session]"
    allowed: list[str]
    public_url: str
    clock: Callable[[], datetime] = utcnow
    batch: int = 10
    concurrency: int = 4
    lease: timedelta = timedelta(seconds=150)
    resolve: targets.Resolver = socket.getaddrinfo
    rng: Callable[[], float] = random.random
    stopping: threading.Event = field(default_factory=threading.Event)
    client: httpx.Client = field(
        default_factory=lambda: httpx.Client(follow_redirects=False, timeout=TIMEOUT_SECONDS)
    )

    def run(self, idle_seconds: float = 0.5) -> None:
        """Until `stopping` is set (SIGTERM): the delivery in flight finishes first."""
        while not self.stopping.is_set():
            if self.run_once() == 0:
                self.stopping.wait(idle_seconds)

    def run_once(self) -> int:
        """One pass; how many deliveries were attempted (`concurrency` at once)."""
        self.fan_out()
        claims = self.claim()
        if self.concurrency == 1 or len(claims) <= 1:
            return sum(self._deliver(item) for item in claims)
        with ThreadPoolExecutor(max_workers=min(self.concurrency, len(claims))) as pool:
            return sum(pool.map(self._deliver, claims))

    def _deliver(self, item: Claim) -> int:
        if self.stopping.is_set():  # left leased: the lease runs out and it goes again
            return 0
        self.settle(item.delivery_id, self.attempt(item))
        return 1

    def fan_out(self) -> int:
        made = 0
        with unit_of_work(self.factory, actor=SYSTEM) as session:
            head = feed.head(session)
            for state in repository.active_states(session, limit=100):
                if state.last_position >= head:
                    continue
                webhook = session.get(Webhook, state.webhook_id)
                principal = webhook and announce.principal_of(session, webhook.principal_id)
                if webhook is None or principal is None:
                    state.last_position = head
                    continue
                resources = announce.readable_resources(principal)
                events = feed.after(
                    session, principal, state.last_position, head, resources, [], FAN_OUT_EVENTS
                )
                wanted = set(webhook.event_types)
                rows = [
                    _delivery_row(webhook.id, e, self.clock())
                    for e in events
                    if not wanted or e.type in wanted or e.resource_type in wanted
                ]
                if rows:
                    session.execute(insert(WebhookDelivery.__table__), rows)
                made += len(rows)
                full = len(events) == FAN_OUT_EVENTS
                state.last_position = (events[-1].position or head) if full else head
        return made

    def claim(self) -> list[Claim]:
        now = self.clock()
        claims: list[Claim] = []
        with unit_of_work(self.factory, actor=SYSTEM) as session:
            for delivery in repository.due(session, now, self.batch):
                webhook = session.get(Webhook, delivery.webhook_id)
                if webhook is None or not webhook.is_active:
                    delivery.status = DeliveryStatus.failed.value
                    delivery.last_error = "the webhook is disabled"
                    continue
                if delivery.resource_type is not None and not self._may_hear(
                    session, webhook, delivery
                ):
                    # Not readable by the webhook's principal now: never sent, and no trace
                    # that would name the item to those who manage the webhook.
                    session.delete(delivery)
                    continue
                delivery.leased_until = now + self.lease
                body = announce.payload(
                    self.public_url,
                    delivery.type,
                    delivery.event_at,
                    delivery.resource_type,
                    delivery.resource_id,
                    delivery.version,
                )
                raw = json.dumps(body, separators=(",", ":")).encode()
                claims.append(Claim(delivery.id, webhook.url, webhook.secret, raw))
        return claims

    def _may_hear(self, session: Session, webhook: Webhook, delivery: WebhookDelivery) -> bool:
        principal = announce.principal_of(session, webhook.principal_id)
        if principal is None or delivery.resource_id is None:
            return False
        resource = delivery.resource_type or ""
        return announce.may_read(session, principal, resource, delivery.resource_id)

    def attempt(self, claim: Claim) -> Outcome:
        try:
            target = targets.check(claim.url, self.allowed, self.resolve)
        except targets.TargetRefused as exc:
            return Outcome(False, error=f"target refused: {exc}")
        timestamp = int(self.clock().timestamp())
        message_id = str(claim.delivery_id)
        headers = {
            "content-type": "application/json",
            "user-agent": "Oversight-Webhooks/1",
            "host": target.host_header,
            "webhook-id": message_id,
            "webhook-timestamp": str(timestamp),
            "webhook-signature": sign(claim.secret, message_id, timestamp, claim.body),
        }
        extensions = {"sni_hostname": target.host} if target.scheme == "https" else {}
        try:
            response = self.client.post(
                target.pinned_url, content=claim.body, headers=headers, extensions=extensions
            )
        except httpx.HTTPError as exc:
            return Outcome(False, error=type(exc).__name__)
        return Outcome(200 <= response.status_code < 300, response.status_code)

    def settle(self, delivery_id: uuid.UUID, outcome: Outcome) -> None:
        now = self.clock()
        with unit_of_work(self.factory, actor=SYSTEM) as session:
            delivery = session.get(WebhookDelivery, delivery_id, with_for_update=True)
            if delivery is None or delivery.status != DeliveryStatus.pending.value:
                return
            state = repository.state(session, delivery.webhook_id)
            delivery.attempts += 1
            delivery.last_attempt_at = now
            delivery.first_attempt_at = delivery.first_attempt_at or now
            delivery.last_status_code = outcome.status_code
            delivery.last_error = outcome.error
            delivery.leased_until = None
            if outcome.ok:
                delivery.status = DeliveryStatus.delivered.value
                delivery.delivered_at = now
                delivery.next_attempt_at = None
                if state is not None:
                    state.consecutive_failures = 0
                return
            if now - delivery.first_attempt_at >= RETRY_FOR:
                delivery.status = DeliveryStatus.failed.value
                delivery.next_attempt_at = None
            else:
                delivery.next_attempt_at = now + backoff(delivery.attempts, self.rng)
            if state is not None:
                state.consecutive_failures += 1
                if state.consecutive_failures >= DISABLE_AFTER:
                    self._disable(session, delivery.webhook_id)

    def _disable(self, session: Session, webhook_id: uuid.UUID) -> None:
        webhook = session.get(Webhook, webhook_id)
        if webhook is None or not webhook.is_active:
            return
        webhook.is_active = False  # audited as webhook.disable, by the system
        webhook.disabled_reason = f"{DISABLE_AFTER} consecutive delivery failures"
        session.flush()
        repository.fail_pending(session, webhook_id, "the webhook was disabled")


def _delivery_row(webhook_id: uuid.UUID, event: ChangeEvent, now: datetime) -> dict[str, object]:
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
    }
