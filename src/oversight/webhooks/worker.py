"""`oversight worker`: fans the outbox out to webhooks and delivers, at least once.

A pass is at most two short write transactions around the HTTP calls, never one held across
them:
1. claim (`claims.py`): the events behind each active webhook's feed position that its
   principal reads now become deliveries, and up to `batch` due deliveries (those just made
   among them) are leased (`leased_until`), so several workers share the queue and a killed
   worker's leases simply run out. Whether the principal reads each item is checked just
   before. On SQLite all of it is read without the write lock and then taken by one short
   write whose statements re-check what was read; on PostgreSQL the reads lock their rows
   (`FOR UPDATE SKIP LOCKED`) in the write's transaction.
2. each claimed delivery is signed and POSTed, `concurrency` at a time, outside any
   transaction;
3. settle: the outcomes of the whole batch in one transaction, one statement per status
   code delivered: delivered, or retried later with backoff.
A pass writes only when its read finds work, so an idle worker takes no lock (on SQLite, not
the one write lock) (docs/architecture.md, "Change feed and webhooks").
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
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from oversight.audit.recorder import SYSTEM
from oversight.db import unit_of_work, utcnow
from oversight.webhooks import claims, repository, retries, sending, targets
from oversight.webhooks.models import Webhook
from oversight.webhooks.sending import Claim, Outcome


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
    locking: bool = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.reader = _plain_reads(self.factory)
        self.locking = self.factory.kw["bind"].dialect.name != "sqlite"

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
        outcomes = self.send(self.claim())
        self.settle(outcomes)
        return len(outcomes)

    def fan_out(self) -> int:
        """Only the fan-out: deliveries made, none leased (a pass checks and sends them)."""
        return self._take(0)[1]

    def claim(self) -> list[Claim]:
        """The fan-out, then up to `batch` due deliveries leased for this worker to send."""
        return self._take(self.batch)[0]

    def _take(self, batch: int) -> tuple[list[Claim], int]:
        """The claims taken, and the deliveries the fan-out made."""
        if self.locking:  # read and take in one transaction, the rows read locked
            with unit_of_work(self.factory, actor=SYSTEM) as session:
                plan = claims.read(session, self.clock, batch, lock=True)
                taken = claims.take(session, plan, self.lease)
            return taken, plan.made
        with self.reader() as session:  # no write lock while reading
            plan = claims.read(session, self.clock, batch)
        if not plan:
            return [], 0
        with unit_of_work(self.factory, actor=SYSTEM) as session:
            taken = claims.take(session, plan, self.lease)
        return taken, plan.made

    def send(self, taken: list[Claim]) -> list[tuple[Claim, Outcome]]:
        """Every claim POSTed, `concurrency` at once; on SIGTERM what has not started is
        left leased (the lease runs out and it goes again)."""
        if self.concurrency == 1 or len(taken) <= 1:
            results = [self._send(item) for item in taken]
        else:
            if self.pool is None:
                self.pool = ThreadPoolExecutor(max_workers=self.concurrency)
            results = list(self.pool.map(self._send, taken))
        return [r for r in results if r is not None]

    def _send(self, item: Claim) -> tuple[Claim, Outcome] | None:
        return None if self.stopping.is_set() else (item, self.attempt(item))

    def attempt(self, claim: Claim) -> Outcome:
        return sending.attempt(
            self.client, claim, self.allowed, self.resolve, self.public_url, self.clock()
        )

    def settle(self, outcomes: list[tuple[Claim, Outcome]]) -> None:
        """A batch's outcomes in one transaction, in the order they were claimed."""
        if not outcomes:
            return
        now = self.clock()
        with unit_of_work(self.factory, actor=SYSTEM) as session:
            runs = retries.settle(session, outcomes, now, self.rng)
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
