"""Attempt counters in the database, shared by every worker: lockouts and rate limits.

Each attempt is counted and its count read back in one atomic upsert (`INSERT ... ON
CONFLICT DO UPDATE ... RETURNING`), so parallel attempts cannot all read "below the limit"
before any of them is counted: the n-th attempt sees n on both databases. A window is fixed:
it starts with its first attempt and, once passed, the next attempt starts a new one.
"""

import hashlib
import hmac
import math
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from oversight.auth import repository
from oversight.config import Settings
from oversight.db import utcnow

MAX_COUNT = 1_000_000


@dataclass(frozen=True, slots=True)
class Limit:
    """At most `attempts` under one key per `window`."""

    name: str
    attempts: int
    window: timedelta


def key(secret: str, limit: Limit, subject: str) -> str:
    """The counter's key: a keyed digest, so a password typed as a username is never kept."""
    mac = hmac.new(secret.encode(), f"{limit.name}\n{subject}".encode(), hashlib.sha256)
    return f"{limit.name}:{mac.hexdigest()[:48]}"


def account_key(user_id: uuid.UUID) -> str:
    """The lockout counter of an account that exists (an unknown name gets `key`)."""
    return f"login:{user_id}"


def hit(session: Session, limit: Limit, counter_key: str) -> int | None:
    """Count one attempt; None when it is within the limit, else the seconds to wait."""
    now = utcnow()
    count, started = repository.count_attempt(session, counter_key, now, limit.window, MAX_COUNT)
    return _wait(limit, count, started, now)


def peek(session: Session, limit: Limit, counter_key: str) -> int | None:
    """Whether the key is over its limit now, without counting an attempt."""
    found = repository.attempts(session, counter_key)
    if found is None:
        return None
    count, started = found
    now = utcnow()
    if started <= now - limit.window:
        return None
    return _wait(limit, count, started, now, over=count >= limit.attempts)


def clear(session: Session, counter_key: str) -> None:
    repository.clear_counter(session, counter_key)


def _wait(
    limit: Limit, count: int, started: datetime, now: datetime, *, over: bool | None = None
) -> int | None:
    if not (count > limit.attempts if over is None else over):
        return None
    return max(1, math.ceil((started + limit.window - now).total_seconds()))


def login_lockout(settings: Settings) -> Limit:
    """Contract §3: 5 attempts for an account in 15 minutes, then 429 until the window ends."""
    window = timedelta(minutes=settings.lockout_window_minutes)
    return Limit("login", settings.lockout_threshold, window)


def token_rate(settings: Settings) -> Limit:
    """Token requests of one client address a minute, whatever the grant or the account."""
    return Limit("token-rate", settings.token_requests_per_minute, timedelta(minutes=1))


def client_failures(settings: Settings) -> Limit:
    """Failed client authentications of one client address in the lockout window."""
    window = timedelta(minutes=settings.lockout_window_minutes)
    return Limit("client-failures", settings.client_failures_per_window, window)
