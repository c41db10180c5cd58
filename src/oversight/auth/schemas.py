"""Token responses, the caller's own view, and the password rule."""

import uuid
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from oversight import samples as ex
from oversight.auth import strength
from oversight.auth.strength import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH
from oversight.samples import with_samples

# Shaped like the real thing; signed by no key.
SAMPLE_ACCESS_TOKEN = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
    "eyJzdWIiOiI0ZmFkZWI0NS1lODNkLTQyYjEtOWY1Mi00OThjZTYyOGY4MmYiLCJleGFtcGxlIjp0cnVlfQ."
    "bm90LWEtcmVhbC1zaWduYXR1cmU"
)

Password = Annotated[
    str,
    StringConstraints(min_length=MIN_PASSWORD_LENGTH, max_length=MAX_PASSWORD_LENGTH),
    AfterValidator(strength.check),
    Field(
        description=f"At least {MIN_PASSWORD_LENGTH} characters, and not easy to guess: "
        "common passwords, names and words alone, keyboard walks, dates and repeats are "
        "refused with the reason (a passphrase of a few uncommon words passes)",
        json_schema_extra={"format": "password", "writeOnly": True},
    ),
]


class StrictModel(BaseModel):
    """Request bodies: unknown fields are an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)


class TokenResponse(BaseModel):
    model_config = with_samples(
        {
            "access_token": SAMPLE_ACCESS_TOKEN,
            "token_type": "bearer",
            "expires_in": 900,
            "scope": "actions:read actions:write bulletins:read bulletins:write "
            "meetings:read meetings:write",
            "refresh_token": "ovr_EXAMPLE-refresh-token-not-a-real-one-000000",
        },
        {
            "access_token": SAMPLE_ACCESS_TOKEN,
            "token_type": "bearer",
            "expires_in": 900,
            "scope": "actions:read bulletins:read",
        },
    )

    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(examples=[900])
    scope: str = Field(examples=["bulletins:read meetings:read actions:read"])
    refresh_token: str | None = None


class MeAgency(BaseModel):
    id: uuid.UUID
    name: str
    slug: str
    sector: str
    status: str


class MeRead(BaseModel):
    model_config = with_samples(
        {
            "kind": "user",
            "id": ex.POLICE_EDITOR,
            "display_name": "Dan Whitfield",
            "email": "editor@police.example",
            "client_id": None,
            "agency": {
                "id": ex.POLICE,
                "name": "Northshire Police Cyber Crime Unit",
                "slug": "police-cyber",
                "sector": "police",
                "status": "active",
            },
            "roles": ["editor", "member"],
            "scopes": [
                "actions:read",
                "actions:write",
                "bulletins:read",
                "bulletins:write",
                "meetings:read",
                "meetings:write",
            ],
        }
    )

    kind: Literal["user", "service"]
    id: uuid.UUID
    display_name: str
    email: str | None = None
    client_id: str | None = None
    agency: MeAgency
    roles: list[str]
    scopes: list[str]


class PasswordChange(StrictModel):
    model_config = with_samples(
        {
            "current_password": "example-old-passphrase",
            "new_password": "example-new-passphrase-2026",
        }
    )

    current_password: Annotated[
        str,
        Field(
            max_length=MAX_PASSWORD_LENGTH,
            json_schema_extra={"format": "password", "writeOnly": True},
        ),
    ]
    new_password: Password
