"""Token responses, the caller's own view, and the password rule."""

import uuid
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from oversight.auth.passwords import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH

Password = Annotated[
    str,
    StringConstraints(min_length=MIN_PASSWORD_LENGTH, max_length=MAX_PASSWORD_LENGTH),
    Field(
        description=f"At least {MIN_PASSWORD_LENGTH} characters",
        json_schema_extra={"format": "password", "writeOnly": True},
    ),
]


class StrictModel(BaseModel):
    """Request bodies: unknown fields are an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)


class TokenResponse(BaseModel):
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
    kind: Literal["user", "service"]
    id: uuid.UUID
    display_name: str
    email: str | None = None
    client_id: str | None = None
    agency: MeAgency
    roles: list[str]
    scopes: list[str]


class PasswordChange(StrictModel):
    current_password: Annotated[
        str,
        Field(
            max_length=MAX_PASSWORD_LENGTH,
            json_schema_extra={"format": "password", "writeOnly": True},
        ),
    ]
    new_password: Password
