"""One delivery attempt: the body, its Standard Webhooks signature, the checked address.

The target is checked against the allow-list and resolved again before every attempt, and
the request goes to the very address that was checked (`targets.py`); httpx follows no
redirect and gives up after 10 s; only a 2xx counts.
"""

import json
import uuid
from dataclasses import dataclass
from datetime import datetime

import httpx

from oversight.webhooks import announce, targets
from oversight.webhooks.signing import sign

TIMEOUT_SECONDS = 10.0


@dataclass(frozen=True, slots=True)
class Claim:
    """A leased delivery, with all its attempt needs (read in the claim's transaction)."""

    delivery_id: uuid.UUID
    webhook_id: uuid.UUID
    url: str
    secret: str
    type: str
    at: datetime
    resource_type: str | None
    resource_id: uuid.UUID | None
    version: int | None


@dataclass(frozen=True, slots=True)
class Outcome:
    ok: bool
    status_code: int | None = None
    error: str | None = None


def new_client() -> httpx.Client:
    return httpx.Client(follow_redirects=False, timeout=TIMEOUT_SECONDS)


def attempt(
    client: httpx.Client,
    claim: Claim,
    allowed: list[str],
    resolve: targets.Resolver,
    public_url: str,
    now: datetime,
) -> Outcome:
    try:
        target = targets.check(claim.url, allowed, resolve)
    except targets.TargetRefused as exc:
        return Outcome(False, error=f"target refused: {exc}")
    body = announce.payload(
        public_url, claim.type, claim.at, claim.resource_type, claim.resource_id, claim.version
    )
    raw = json.dumps(body, separators=(",", ":")).encode()
    timestamp = int(now.timestamp())
    message_id = str(claim.delivery_id)
    headers = {
        "content-type": "application/json",
        "user-agent": "Oversight-Webhooks/1",
        "host": target.host_header,
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(claim.secret, message_id, timestamp, raw),
    }
    extensions = {"sni_hostname": target.host} if target.scheme == "https" else {}
    try:
        response = client.post(
            target.pinned_url, content=raw, headers=headers, extensions=extensions
        )
    except httpx.HTTPError as exc:
        return Outcome(False, error=type(exc).__name__)
    return Outcome(200 <= response.status_code < 300, response.status_code)
