"""What an attempt's outcome does to its delivery: delivered, retried with backoff for 24 h,
or failed; and when a run of failures disables the webhook."""

import random
from collections.abc import Callable
from datetime import datetime, timedelta

from oversight.webhooks.models import DeliveryStatus, WebhookDelivery
from oversight.webhooks.sending import Outcome

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
