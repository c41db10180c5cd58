"""The rules of webhooks: who manages them, where they may send, the secret shown once."""

import base64
import secrets
import uuid
from collections.abc import Sequence

from sqlalchemy.orm import Session

from oversight.accounts.models import ServiceAccount
from oversight.auth.principal import Principal
from oversight.auth.scopes import Role
from oversight.changes import repository as feed
from oversight.db import utcnow
from oversight.db.keyset import Key, PageSlice
from oversight.db.versions import match_version, require_version
from oversight.errors import Forbidden, NotFound, Unprocessable
from oversight.webhooks import targets
from oversight.webhooks.announce import readable_resources
from oversight.webhooks.models import DeliveryStatus, Webhook, WebhookDelivery, WebhookState
from oversight.webhooks.repository import WebhookRepository
from oversight.webhooks.schemas import WebhookCreate, WebhookUpdate

TEST_EVENT = "webhook.test"


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


def _managing(principal: Principal) -> None:
    """Agency admins of the agency, or its partner systems granted `webhooks:write`."""
    if principal.kind == "user" and Role.agency_admin not in principal.roles:
        raise Forbidden("Only an agency admin or a partner system manages webhooks")


def _repo(session: Session, principal: Principal) -> WebhookRepository:
    return WebhookRepository(session, principal)


def _delivering(session: Session, principal: Principal, given: uuid.UUID | None) -> uuid.UUID:
    chosen = given or (principal.id if principal.kind == "service" else None)
    if chosen is None:
        raise Unprocessable.for_field(
            "principal_id", "name the agency's service account the webhook delivers as"
        )
    account = session.get(ServiceAccount, chosen)
    if account is None or account.agency_id != principal.agency_id or not account.is_active:
        raise Unprocessable.for_field(
            "principal_id", "not an active service account of your agency"
        )
    return chosen


def _target(url: str, allowed: Sequence[str]) -> str:
    try:
        targets.check(url, allowed)
    except targets.TargetRefused as exc:
        raise Unprocessable.for_field("url", str(exc)) from exc
    return url


def create(
    session: Session, principal: Principal, body: WebhookCreate, allowed: Sequence[str]
) -> tuple[Webhook, str]:
    _managing(principal)
    secret = new_secret()
    webhook = Webhook(
        agency_id=principal.agency_id,
        principal_id=_delivering(session, principal, body.principal_id),
        url=_target(body.url, allowed),
        event_types=body.event_types,
        secret=secret,
        created_by=principal.id,
    )
    session.add(webhook)
    session.flush()
    # A new webhook hears of what commits from now on, not of the feed's past.
    session.add(WebhookState(webhook_id=webhook.id, last_position=feed.head(session)))
    session.flush()
    return webhook, secret


def get(session: Session, principal: Principal, webhook_id: uuid.UUID) -> Webhook:
    webhook = _repo(session, principal).get(webhook_id)
    if webhook is None:
        raise NotFound(f"No webhook with id {webhook_id}")
    return webhook


def listing(
    session: Session, principal: Principal, page: PageSlice
) -> tuple[list[Webhook], Key | None]:
    return _repo(session, principal).page(page)


def update(
    session: Session,
    principal: Principal,
    webhook_id: uuid.UUID,
    body: WebhookUpdate,
    expected_version: int | None,
    allowed: Sequence[str],
) -> Webhook:
    _managing(principal)
    webhook = get(session, principal, webhook_id)
    require_version(expected_version, webhook.version)
    if body.url is not None:
        webhook.url = _target(body.url, allowed)
    if body.event_types is not None:
        webhook.event_types = body.event_types
    if body.principal_id is not None:
        webhook.principal_id = _delivering(session, principal, body.principal_id)
    if body.is_active is not None and body.is_active != webhook.is_active:
        webhook.is_active = body.is_active
        webhook.disabled_reason = None if body.is_active else "disabled by the agency"
        if body.is_active:  # a fresh start: its run of failures is over
            state = session.get(WebhookState, webhook.id)
            if state is not None:
                state.consecutive_failures = 0
                state.last_position = max(state.last_position, feed.head(session))
    session.flush()
    return webhook


def delete(
    session: Session, principal: Principal, webhook_id: uuid.UUID, expected_version: int | None
) -> None:
    _managing(principal)
    webhook = get(session, principal, webhook_id)
    require_version(expected_version, webhook.version)
    session.delete(webhook)
    session.flush()


def rotate_secret(
    session: Session, principal: Principal, webhook_id: uuid.UUID, expected_version: int | None
) -> tuple[Webhook, str]:
    _managing(principal)
    webhook = get(session, principal, webhook_id)
    match_version(expected_version, webhook.version)
    secret = new_secret()
    webhook.secret = secret
    webhook.secret_rotated_at = utcnow()
    session.flush()
    return webhook, secret


def send_test(session: Session, principal: Principal, webhook_id: uuid.UUID) -> WebhookDelivery:
    """A `webhook.test` delivery, queued for the worker like any other."""
    _managing(principal)
    webhook = get(session, principal, webhook_id)
    delivery = WebhookDelivery(webhook_id=webhook.id, type=TEST_EVENT)
    session.add(delivery)
    session.flush()
    return delivery


def deliveries(
    session: Session, principal: Principal, webhook_id: uuid.UUID, page: PageSlice
) -> tuple[list[WebhookDelivery], Key | None]:
    webhook = get(session, principal, webhook_id)
    return _repo(session, principal).deliveries(webhook.id, page, readable_resources(principal))


def redeliver(
    session: Session, principal: Principal, webhook_id: uuid.UUID, delivery_ref: str
) -> WebhookDelivery:
    """Queue a delivery again, with its original `webhook-id` and a new 24 h of retries."""
    _managing(principal)
    webhook = get(session, principal, webhook_id)
    try:
        delivery_id = uuid.UUID(delivery_ref)
    except ValueError:
        delivery_id = None
    repo = _repo(session, principal)
    resources = readable_resources(principal)
    found = repo.delivery(webhook.id, delivery_id, resources) if delivery_id else None
    if found is None:
        raise NotFound(f"No delivery {delivery_ref} of webhook {webhook_id}")
    found.status = DeliveryStatus.pending.value
    found.next_attempt_at = utcnow()
    found.first_attempt_at = None
    found.leased_until = None
    session.flush()
    return found
