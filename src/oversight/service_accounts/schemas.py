"""Service account bodies and representations; the client secret goes out once, never in."""

import uuid
from datetime import datetime

from pydantic import BaseModel, Field, field_validator

from oversight import samples as ex
from oversight.access.bodies import trimmed
from oversight.auth.schemas import StrictModel
from oversight.auth.scopes import SERVICE_ACCOUNT_SCOPES, Scope
from oversight.samples import with_samples

ACCOUNT_SAMPLE = {
    "id": ex.SERVICE_ACCOUNT,
    "name": "Cyber Resilience Centre alerting",
    "agency_id": ex.CRC,
    "client_id": "cli_5f0c2a9e7b3d4c1e8a6f2b09",
    "scopes": ["actions:read", "bulletins:read"],
    "is_active": True,
    "version": 1,
    "created_at": "2026-01-20T11:30:00Z",
    "revoked_at": None,
}

GRANTABLE = ", ".join(f"`{s}`" for s in sorted(SERVICE_ACCOUNT_SCOPES))

Name = trimmed(2, 200)


class ServiceAccountCreate(StrictModel):
    model_config = with_samples(
        {
            "name": "Cyber Resilience Centre alerting",
            "agency_id": ex.CRC,
            "scopes": ["bulletins:read", "actions:read"],
        }
    )

    name: Name
    agency_id: uuid.UUID | None = Field(default=None, description="Defaults to the caller's agency")
    scopes: list[Scope] = Field(
        min_length=1,
        max_length=len(Scope),
        description=f"Any of {GRANTABLE}; administration and audit stay with people",
    )

    @field_validator("scopes")
    @classmethod
    def _grantable(cls, value: list[Scope]) -> list[Scope]:
        refused = sorted({s.value for s in value} - SERVICE_ACCOUNT_SCOPES)
        if refused:
            raise ValueError(f"not grantable to a service account: {', '.join(refused)}")
        return sorted(set(value))


class ServiceAccountRead(BaseModel):
    model_config = with_samples(ACCOUNT_SAMPLE, from_attributes=True)

    id: uuid.UUID
    name: str
    agency_id: uuid.UUID
    client_id: str
    scopes: list[Scope]
    is_active: bool
    version: int
    created_at: datetime
    revoked_at: datetime | None


class ServiceAccountSecret(ServiceAccountRead):
    model_config = with_samples(
        ACCOUNT_SAMPLE | {"client_secret": "ovs_EXAMPLE-client-secret-not-a-real-one-0000"}
    )

    client_secret: str | None = Field(
        description="Shown only in this response (null in an idempotent replay: rotate to "
        "get a new one); the service keeps only its hash"
    )
