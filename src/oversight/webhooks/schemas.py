"""Webhook bodies and representations."""

import uuid
from datetime import datetime

from pydantic import BaseModel, Field, field_validator

from oversight.access.bodies import trimmed
from oversight.changes.outbox import EVENT_TYPES, RESOURCE_TYPES
from oversight.samples import with_samples

Url = trimmed(8, 2000)
EVENT_NAMES = frozenset(EVENT_TYPES.values()) | frozenset(RESOURCE_TYPES)

READ_SAMPLE = {
    "id": "9d4c1f0e-2b7a-4e51-8c3d-5f6a7b8c9d01",
    "agency_id": "3e5b7c9d-1f2a-4b6c-8d0e-2f4a6b8c0d12",
    "url": "https://siem.partner.example/hooks/oversight",
    "event_types": ["bulletin.published", "bulletin.withdrawn"],
    "principal_id": "7a9c1e3f-5b7d-4f91-a3c5-e7f9b1d3f5a7",
    "is_active": True,
    "disabled_reason": None,
    "version": 1,
    "created_at": "2026-11-27T09:30:00Z",
    "updated_at": "2026-11-27T09:30:00Z",
}
DELIVERY_SAMPLE = {
    "id": "2b7a9d4c-1f0e-4e51-8c3d-5f6a7b8c9d01",
    "webhook_id": READ_SAMPLE["id"],
    "event_id": "5b0f4a8e-3c1d-4f7a-9a51-0c2e9d6b7f10",
    "type": "bulletin.published",
    "resource_type": "bulletin",
    "resource_id": "0b7c2f7e-6a4d-4a55-8f2e-1d9c3b5a7e21",
    "version": 3,
    "status": "pending",
    "attempts": 2,
    "last_status_code": 503,
    "last_error": None,
    "created_at": "2026-11-27T09:30:00Z",
    "last_attempt_at": "2026-11-27T09:30:12Z",
    "next_attempt_at": "2026-11-27T09:31:10Z",
    "delivered_at": None,
}


def _known(values: list[str] | None) -> list[str] | None:
    if values is None:
        return None
    unknown = sorted(set(values) - EVENT_NAMES)
    if unknown:
        raise ValueError(f"unknown event types: {', '.join(unknown)}")
    return sorted(set(values))


class WebhookCreate(BaseModel):
    model_config = with_samples(
        {
            "url": READ_SAMPLE["url"],
            "event_types": READ_SAMPLE["event_types"],
            "principal_id": READ_SAMPLE["principal_id"],
        },
        extra="forbid",
    )

    url: Url = Field(description="https:// on an allowed host (http:// only to loopback)")
    event_types: list[str] = Field(
        default_factory=list,
        max_length=50,
        description="Event types or resources (`bulletin`); empty: every event",
    )
    principal_id: uuid.UUID | None = Field(
        default=None,
        description="The agency's service account the webhook delivers as (a service account "
        "creating a webhook: itself, when not given)",
    )

    _types = field_validator("event_types")(_known)


class WebhookUpdate(BaseModel):
    model_config = with_samples({"event_types": ["bulletin"]}, extra="forbid")

    url: Url | None = None
    event_types: list[str] | None = Field(default=None, max_length=50)
    principal_id: uuid.UUID | None = None
    is_active: bool | None = Field(default=None, description="true re-enables a disabled one")

    _types = field_validator("event_types")(_known)


class WebhookRead(BaseModel):
    model_config = with_samples(READ_SAMPLE, from_attributes=True)

    id: uuid.UUID
    agency_id: uuid.UUID
    url: str
    event_types: list[str]
    principal_id: uuid.UUID
    is_active: bool
    disabled_reason: str | None
    version: int
    created_at: datetime
    updated_at: datetime


class WebhookSecret(WebhookRead):
    model_config = with_samples(READ_SAMPLE | {"secret": "whsec_" + "A" * 32})

    secret: str | None = Field(description="The signing secret (`whsec_…`): in this response only")


class DeliveryRead(BaseModel):
    model_config = with_samples(DELIVERY_SAMPLE, from_attributes=True)

    id: uuid.UUID = Field(description="The `webhook-id` header of every attempt")
    webhook_id: uuid.UUID
    event_id: uuid.UUID | None
    type: str
    resource_type: str | None
    resource_id: uuid.UUID | None
    version: int | None
    status: str = Field(description="pending, delivered, failed or withheld")
    attempts: int
    last_status_code: int | None
    last_error: str | None
    created_at: datetime
    last_attempt_at: datetime | None
    next_attempt_at: datetime | None
    delivered_at: datetime | None
