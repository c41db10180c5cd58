"""HTTP for webhooks (`/webhooks`): subscriptions, their secret, their deliveries."""

import uuid
from typing import Annotated

from fastapi import Path, Request
from fastapi.responses import JSONResponse

from oversight.auth.principal import WebhooksRead, WebhooksWrite
from oversight.errors import responses
from oversight.web import paging
from oversight.web.etag import ExpectedVersion, TaggedDep
from oversight.web.idempotency import IdempotencyDep
from oversight.web.paging import Page, PageDep
from oversight.web.routes import ItemRoutes, resource_router
from oversight.web.session import SessionDep
from oversight.webhooks import service
from oversight.webhooks.models import Webhook
from oversight.webhooks.schemas import (
    DeliveryRead,
    WebhookCreate,
    WebhookRead,
    WebhookSecret,
    WebhookUpdate,
)

router = resource_router("/webhooks", "Webhooks", "webhook")

WHO = (
    "An agency admin, or a partner system of the agency with the scope; another agency's "
    "webhooks answer 404."
)
Id = Annotated[uuid.UUID, Path()]


def _allowed(request: Request) -> list[str]:
    return list(request.app.state.settings.webhook_allowed_hosts)


def _with_secret(pair: tuple[Webhook, str]) -> WebhookSecret:
    webhook, secret = pair
    return WebhookSecret.model_validate(
        WebhookRead.model_validate(webhook).model_dump() | {"secret": secret}
    )


webhook_routes = ItemRoutes(router, "webhook_id", WebhooksWrite, WebhookSecret, show=_with_secret)


@router.post(
    "",
    status_code=201,
    response_model=WebhookSecret,
    summary="Create a webhook",
    description=f"Scope `webhooks:write`. {WHO} It delivers as `principal_id`, a service "
    "account of the agency: an event is sent only if that account may read the item when it "
    "is delivered. The URL's host must be on the service's allow-list (https; http only to "
    "loopback). The signing `secret` is in this response only. Accepts `Idempotency-Key`.",
    responses=responses(401, 403, 422),
)
def create_webhook(
    request: Request,
    body: WebhookCreate,
    session: SessionDep,
    principal: WebhooksWrite,
    idem: IdempotencyDep,
) -> JSONResponse:
    return idem.respond(
        session,
        principal,
        lambda: _with_secret(service.create(session, principal, body, _allowed(request))),
        at=("get_webhook", "webhook_id"),
        secret_fields=frozenset({"secret"}),
    )


@router.get(
    "",
    response_model=Page[WebhookRead],
    summary="List webhooks",
    description=f"Scope `webhooks:read`. {WHO} Newest first.",
    responses=responses(400, 401, 403),
)
def list_webhooks(session: SessionDep, principal: WebhooksRead, page: PageDep) -> Page[WebhookRead]:
    return paging.respond(
        page, service.listing(session, principal, page.slice), WebhookRead.model_validate
    )


webhook_routes.get(
    service.get,
    WebhooksRead,
    answer=WebhookRead,
    show=WebhookRead.model_validate,
    summary="Read a webhook",
    description=f"Scope `webhooks:read`. {WHO} Sets `ETag`.",
)


@router.patch(
    "/{webhook_id}",
    response_model=WebhookRead,
    summary="Change a webhook",
    description=f"Scope `webhooks:write`. {WHO} Needs `If-Match`. `is_active: true` "
    "re-enables a webhook disabled after failures; it hears of changes from then on.",
    responses=responses(401, 403, 404, 412, 422, 428),
)
def update_webhook(
    request: Request,
    webhook_id: Id,
    body: WebhookUpdate,
    session: SessionDep,
    principal: WebhooksWrite,
    tagged: TaggedDep,
    expected_version: ExpectedVersion,
) -> WebhookRead:
    changed = service.update(
        session, principal, webhook_id, body, expected_version, _allowed(request)
    )
    return tagged(WebhookRead.model_validate(changed))


webhook_routes.delete(
    "delete_webhook",
    service.delete,
    summary="Delete a webhook",
    description=f"Scope `webhooks:write`. {WHO} Needs `If-Match`. Its pending deliveries go "
    "with it.",
    responses=responses(401, 403, 404, 412, 428),
)


webhook_routes.step(
    "POST",
    "/{webhook_id}/rotate-secret",
    "rotate_secret",
    service.rotate_secret,
    summary="Rotate the signing secret",
    description=f"Scope `webhooks:write`. {WHO} The new `secret` is in this response only; "
    "every delivery from now on is signed with it. `If-Match` is checked when sent.",
    responses=responses(401, 403, 404, 412),
)


@router.post(
    "/{webhook_id}/test",
    status_code=202,
    response_model=DeliveryRead,
    summary="Send a test delivery",
    description=f"Scope `webhooks:write`. {WHO} Queues a `webhook.test` delivery (no item), "
    "signed and retried like any other.",
    responses=responses(401, 403, 404),
)
def test_webhook(webhook_id: Id, session: SessionDep, principal: WebhooksWrite) -> DeliveryRead:
    return DeliveryRead.model_validate(service.send_test(session, principal, webhook_id))


@router.get(
    "/{webhook_id}/deliveries",
    response_model=Page[DeliveryRead],
    summary="List a webhook's deliveries",
    description=f"Scope `webhooks:read`. {WHO} Newest first: attempts, the last status code, "
    "the next retry.",
    responses=responses(400, 401, 403, 404),
)
def list_deliveries(
    webhook_id: Id, session: SessionDep, principal: WebhooksRead, page: PageDep
) -> Page[DeliveryRead]:
    return paging.respond(
        page,
        service.deliveries(session, principal, webhook_id, page.slice),
        DeliveryRead.model_validate,
    )


@router.post(
    "/{webhook_id}/deliveries/{delivery_id}/redeliver",
    status_code=202,
    response_model=DeliveryRead,
    summary="Deliver again",
    description=f"Scope `webhooks:write`. {WHO} Queues the delivery again with its original "
    "`webhook-id` (the delivery's id) and a new 24 hours of retries.",
    responses=responses(401, 403, 404),
)
def redeliver_delivery(
    webhook_id: Id,
    delivery_id: Annotated[str, Path(max_length=80)],
    session: SessionDep,
    principal: WebhooksWrite,
) -> DeliveryRead:
    return DeliveryRead.model_validate(
        service.redeliver(session, principal, webhook_id, delivery_id)
    )
