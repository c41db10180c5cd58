"""`oversight worker`: fans the outbox out to webhooks and delivers, at least once.

A pass is two short transactions around the HTTP calls, never one held across them:
1. claim: for each active webhook behind the feed (its state row locked, `SKIP LOCKED`), the
   events after its position that its principal reads now become deliveries, and the
   position moves on; then up to `batch` due deliveries are leased (`FOR UPDATE SKIP
   LOCKED`, then `leased_until`), so several workers share the queue and a killed worker's
   leases simply run out. Each is checked again just before: the principal may read the
   item *now*.
2. each claimed delivery is signed and POSTed, `concurrency` at a time, outside any
   transaction;
3. settle: the outcomes of the whole batch in one transaction: delivered, or retried later
   with backoff.
A pass starts only when a plain read finds work, so an idle worker takes no lock (on SQLite,
not the one write lock). SQLite has one writer at a time: run one worker there
(docs/architecture.md, "Change feed and webhooks").
"""

import random
import socket
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import httpx
from sqlalchemy import Engine, insert
from sqlalchemy.orm import Session, sessionmaker

from oversight.audit.recorder import SYSTEM
from oversight.changes import repository as feed
from oversight.db import unit_of_work, utcnow
from oversight.webhooks import announce, repository, retries, sending, targets
from oversight.webhooks.models import DeliveryStatus, Webhook, WebhookDelivery
from oversight.webhooks.sending import Claim, Outcome

FAN_OUT_EVENTS = 500


@dataclass
class Worker:
    factory: "sessionmaker[Session]"
    allowed: list[str]
    public_url: str
    clock: Callable[[], datetime] = utcnow
    batch: int = 50
    concurrency: int = 4
    lease: timedelta = timedelta(seconds=150)
    resolve: targets.Resolver = socket.getaddrinfo
    rng: retries.Rng = random.random
    stopping: threading.Event = field(default_factory=threading.Event)
    client: httpx.Client = field(default_factory=sending.new_client)
    pool: ThreadPoolExecutor | None = field(default=None, init=False, repr=False)
    reader: "sessionmaker[Session]" = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.reader = _plain_reads(self.factory)

    def run(self, idle_seconds: float = 0.5, gather_seconds: float = 0.15) -> None:
        """Until `stopping` is set (SIGTERM): the deliveries in flight finish and are settled.

        After a full batch the next pass starts at once; after less, the worker pauses
        `gather_seconds`, so what arrives meanwhile is claimed, sent and settled together
        (each pass costs two transactions however few it carries); while nothing comes the
        pause doubles up to `idle_seconds`."""
        shortest = min(gather_seconds, idle_seconds)
        pause = shortest
        while not self.stopping.is_set():
            done = self.run_once()
            if done >= self.batch:
                continue
            pause = shortest if done else min(pause * 2, idle_seconds)
            self.stopping.wait(pause)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown()
        self.client.close()

    def run_once(self) -> int:
        """One pass; how many deliveries were attempted."""
        if not self.has_work():
            return 0
        outcomes = self.send(self.claim())
        self.settle(outcomes)
        return len(outcomes)

    def has_work(self) -> bool:
        with self.reader() as session:
            return repository.has_work(session, feed.head(session), self.clock())

    def fan_out(self) -> int:
        with unit_of_work(self.factory, actor=SYSTEM) as session:
            return len(self._fan_out(session))

    def _fan_out(self, session: Session) -> set[uuid.UUID]:
        """The deliveries made: each about an item its webhook's principal reads now."""
        made: set[uuid.UUID] = set()
        head = feed.head(session)
        for state in repository.behind(session, head, limit=100):
            webhook = session.get(Webhook, state.webhook_id)
            principal = webhook and announce.principal_of(session, webhook.principal_id)
            if webhook is None or principal is None:
                state.last_position = head
                continue
            events = repository.events_between(session, state.last_position, head, FAN_OUT_EVENTS)
            heard = announce.readable(
                session, principal, ((e.resource_type, e.resource_id) for e in events)
            )
            wanted = set(webhook.event_types)
            rows = [
                repository.delivery_row(webhook.id, e, self.clock())
                for e in events
                if (e.resource_type, e.resource_id) in heard
                and (not wanted or e.type in wanted or e.resource_type in wanted)
            ]
            if rows:
                session.execute(insert(WebhookDelivery.__table__), rows)
            made.update(row["id"] for row in rows)
            full = len(events) == FAN_OUT_EVENTS
            state.last_position = (events[-1].position or head) if full else head
        return made

    def claim(self) -> list[Claim]:
        """One transaction: fan out, then lease the due deliveries its principal may hear."""
        claims: list[Claim] = []
        with unit_of_work(self.factory, actor=SYSTEM) as session:
            fresh = self._fan_out(session)
            now = self.clock()  # after the fan-out: what it made is due now
            taken = repository.due(session, now, self.batch)
            hooks = {d.webhook_id: session.get(Webhook, d.webhook_id) for d in taken}
            # What the fan-out just made was checked in this transaction; the others (retries,
            # or made by an earlier pass) are checked again now.
            older = [d for d in taken if d.id not in fresh]
            heard = {
                hook_id: self._heard(session, hook, [d for d in older if d.webhook_id == hook_id])
                for hook_id, hook in hooks.items()
            }
            for delivery in taken:
                webhook = hooks[delivery.webhook_id]
                if webhook is None or not webhook.is_active:
                    delivery.status = DeliveryStatus.failed.value
                    delivery.last_error = "the webhook is disabled"
                    continue
                about = (delivery.resource_type, delivery.resource_id)
                if (
                    delivery.id not in fresh
                    and delivery.resource_type is not None
                    and about not in heard[webhook.id]
                ):
                    # Not readable by the webhook's principal now: never sent, and no trace
                    # that would name the item to those who manage the webhook.
                    session.delete(delivery)
                    continue
                delivery.leased_until = now + self.lease
                claims.append(
                    Claim(
                        delivery.id,
                        webhook.url,
                        webhook.secret,
                        delivery.type,
                        delivery.event_at,
                        delivery.resource_type,
                        delivery.resource_id,
                        delivery.version,
                    )
                )
        return claims

    def _heard(
        self, session: Session, webhook: Webhook | None, deliveries: list[WebhookDelivery]
    ) -> set[tuple[str, uuid.UUID]]:
        """Which items of these deliveries the webhook's principal reads now."""
        if not deliveries:
            return set()
        principal = webhook and announce.principal_of(session, webhook.principal_id)
        if principal is None:
            return set()
        return announce.readable(
            session, principal, ((d.resource_type, d.resource_id) for d in deliveries)
        )

    def send(self, claims: list[Claim]) -> list[tuple[uuid.UUID, Outcome]]:
        """Every claim POSTed, `concurrency` at once; on SIGTERM what has not started is
        left leased (the lease runs out and it goes again)."""
        if self.concurrency == 1 or len(claims) <= 1:
            results = [self._send(item) for item in claims]
        else:
            if self.pool is None:
                self.pool = ThreadPoolExecutor(max_workers=self.concurrency)
            results = list(self.pool.map(self._send, claims))
        return [r for r in results if r is not None]

    def _send(self, item: Claim) -> tuple[uuid.UUID, Outcome] | None:
        return None if self.stopping.is_set() else (item.delivery_id, self.attempt(item))

    def attempt(self, claim: Claim) -> Outcome:
        return sending.attempt(
            self.client, claim, self.allowed, self.resolve, self.public_url, self.clock()
        )

    def settle(self, outcomes: list[tuple[uuid.UUID, Outcome]]) -> None:
        """A batch's outcomes in one transaction, in the order they were claimed."""
        if not outcomes:
            return
        now = self.clock()
        with unit_of_work(self.factory, actor=SYSTEM) as session:
            found = repository.pending(session, [i for i, _ in outcomes])
            runs: dict[uuid.UUID, list[bool]] = {}
            for delivery_id, outcome in outcomes:
                delivery = found.get(delivery_id)
                if delivery is not None:
                    retries.record(delivery, outcome, now, self.rng)
                    runs.setdefault(delivery.webhook_id, []).append(outcome.ok)
            for webhook_id, oks in runs.items():
                if all(oks):
                    repository.reset_failures(session, webhook_id)
                    continue
                state = repository.state(session, webhook_id)
                for ok in oks if state is not None else ():
                    state.consecutive_failures = 0 if ok else state.consecutive_failures + 1
                    if state.consecutive_failures >= retries.DISABLE_AFTER:
                        self._disable(session, webhook_id)
                        break

    def _disable(self, session: Session, webhook_id: uuid.UUID) -> None:
        webhook = session.get(Webhook, webhook_id)
        if webhook is None or not webhook.is_active:
            return
        webhook.is_active = False  # audited as webhook.disable, by the system
        webhook.disabled_reason = f"{retries.DISABLE_AFTER} consecutive delivery failures"
        session.flush()
        repository.fail_pending(session, webhook_id, "the webhook was disabled")


def _plain_reads(factory: "sessionmaker[Session]") -> "sessionmaker[Session]":
    """Sessions for the check before a pass: on SQLite a plain (deferred) transaction, which
    takes no write lock; elsewhere, or on a test's connection, the worker's own."""
    bind = factory.kw.get("bind")
    if isinstance(bind, Engine) and bind.dialect.name == "sqlite":
        return sessionmaker(bind.execution_options(sqlite_begin=""), expire_on_commit=False)
    return factory
