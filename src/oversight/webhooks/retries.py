"""What an attempt's outcome does to its delivery: delivered, retried with backoff for 24 h,
or failed; and when a run of failures disables the webhook."""

import random
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import func, literal, update
from sqlalchemy.orm import Session

from oversight.webhooks import repository
from oversight.webhooks.models import DeliveryStatus, WebhookDelivery
from oversight.webhooks.sending import Claim, Outcome

RETRY_FOR = timedelta(hours=24)
DISABLE_AFTER = 20
FIRST_GAP_SECONDS = 5.0
MAX_GAP_SECONDS = 3600.0
Rng = Callable[[], float]


def backoff(attempts: int, rng: Rng = random.random) -> timedelta:
    """Exponential, with ±25 % jitter: each gap is still longer than the one before."""
    base = min(FIRST_GAP_SECONDS * 2 ** (attempts - 1), MAX_GAP_SECONDS)
    return timedelta(seconds=base * (0.75 + 0.5 * rng()))


def record(delivery: WebhookDelivery, outcome: Outcome, now: datetime, rng: Rng) -> None:
    """One attempt's outcome on its delivery: delivered, retried later, or failed after 24 h."""
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
    elif now - delivery.first_attempt_at >= RETRY_FOR:
        delivery.status = DeliveryStatus.failed.value
        delivery.next_attempt_at = None
    else:
        delivery.next_attempt_at = now + backoff(delivery.attempts, rng)


def settle(
    session: Session, outcomes: list[tuple[Claim, Outcome]], now: datetime, rng: Rng
) -> dict[uuid.UUID, list[bool]]:
    """A batch's outcomes: one statement per status code delivered (most batches are one
    statement), the failures one by one (each has its own backoff). Only deliveries still
    pending are settled; what each webhook's settled outcomes were, in the order claimed."""
    settled: set[uuid.UUID] = set()
    delivered: dict[int | None, list[uuid.UUID]] = {}
    for claim, outcome in outcomes:
        if outcome.ok:
            delivered.setdefault(outcome.status_code, []).append(claim.delivery_id)
    at = literal(now, WebhookDelivery.last_attempt_at.type)
    for code, ids in delivered.items():
        settled.update(
            session.scalars(
                update(WebhookDelivery)
                .where(
                    WebhookDelivery.id.in_(ids),
                    WebhookDelivery.status == DeliveryStatus.pending.value,
                )
                .values(
                    status=DeliveryStatus.delivered.value,
                    attempts=WebhookDelivery.attempts + 1,
                    first_attempt_at=func.coalesce(WebhookDelivery.first_attempt_at, at),
                    last_attempt_at=now,
                    last_status_code=code,
                    last_error=None,
                    leased_until=None,
                    delivered_at=now,
                    next_attempt_at=None,
                )
                .returning(WebhookDelivery.id)
                .execution_options(synchronize_session=False)
            )
        )
    failed = {c.delivery_id: o for c, o in outcomes if not o.ok}
    if failed:
        for delivery in repository.pending(session, list(failed)).values():
            record(delivery, failed[delivery.id], now, rng)
            settled.add(delivery.id)
    runs: dict[uuid.UUID, list[bool]] = {}
    for claim, outcome in outcomes:
        if claim.delivery_id in settled:
            runs.setdefault(claim.webhook_id, []).append(outcome.ok)
    return runs
