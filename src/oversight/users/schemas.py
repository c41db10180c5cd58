"""User bodies and representations; passwords go in, never out (except a generated one, once)."""

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, EmailStr, Field, field_validator

from oversight import samples as ex
from oversight.access.bodies import trimmed
from oversight.agencies.schemas import PatchModel
from oversight.auth.schemas import Password, StrictModel
from oversight.auth.scopes import Role
from oversight.samples import with_samples

DisplayName = trimmed(1, 200)
Email = Annotated[EmailStr, Field(max_length=320, examples=["a.analyst@police.example.org"])]
Roles = Annotated[
    list[Role],
    Field(
        max_length=len(Role),
        description="`member` is always included. An agency admin may not grant `admin` "
        "or `auditor`.",
    ),
]


USER_SAMPLE = {
    "id": ex.COUNCIL_MEMBER,
    "email": "member@county.example",
    "display_name": "Ruth Adeyemi",
    "agency_id": ex.COUNCIL,
    "roles": ["member"],
    "is_active": True,
    "version": 1,
    "created_at": "2026-01-12T09:05:00Z",
    "updated_at": "2026-01-12T09:05:00Z",
    "last_login_at": "2026-03-04T08:47:12Z",
}


def normalise_roles(roles: list[Role]) -> list[str]:
    return sorted({Role.member.value, *(r.value for r in roles)})


class UserCreate(StrictModel):
    model_config = with_samples(
        {
            "email": "member@county.example",
            "display_name": "Ruth Adeyemi",
            "agency_id": ex.COUNCIL,
            "roles": ["member"],
        },
        {
            "email": "editor@police.example",
            "display_name": "Dan Whitfield",
            "roles": ["editor"],
            "password": "example-passphrase-not-real",
        },
    )

    email: Email
    display_name: DisplayName
    agency_id: uuid.UUID | None = Field(default=None, description="Defaults to the caller's agency")
    roles: Roles = []
    password: Password | None = Field(
        default=None, description="Omit to have one generated and returned once"
    )

    @field_validator("email")
    @classmethod
    def _lower(cls, value: str) -> str:
        return value.lower()


class UserUpdate(PatchModel):
    model_config = with_samples({"display_name": "Ruth Adeyemi", "roles": ["member", "editor"]})

    email: Email | None = None
    display_name: DisplayName | None = None
    roles: Roles | None = None

    @field_validator("email")
    @classmethod
    def _lower(cls, value: str | None) -> str | None:
        return value.lower() if value else value


class UserRead(BaseModel):
    model_config = with_samples(USER_SAMPLE, from_attributes=True)

    id: uuid.UUID
    email: str
    display_name: str
    agency_id: uuid.UUID
    roles: list[Role]
    is_active: bool
    version: int
    created_at: datetime
    updated_at: datetime
    last_login_at: datetime | None


class UserCreated(UserRead):
    model_config = with_samples(
        USER_SAMPLE | {"version": 1, "last_login_at": None, "password": "EXAMPLE-one-time-pw-0000"}
    )

    password: str | None = Field(
        default=None,
        description="The generated password, shown only in this response (null when you "
        "chose one, and in an idempotent replay)",
    )


class PasswordReset(BaseModel):
    model_config = with_samples(
        {"user_id": ex.COUNCIL_MEMBER, "password": "EXAMPLE-one-time-pw-0000"}
    )

    user_id: uuid.UUID
    password: str = Field(description="The new one-time password; shown only here")
