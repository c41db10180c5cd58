"""The accounts a principal is checked against: member agencies, their people (users) and
their partner systems (service accounts, authenticating with OAuth2 client credentials)."""

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ForeignKey, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from oversight.audit.changes import Audited
from oversight.db import Base, Timestamps, UUIDPk, Versioned


class Sector(StrEnum):
    police = "police"
    local_authority = "local_authority"
    rocu = "rocu"
    cyber_resilience_centre = "cyber_resilience_centre"
    education = "education"
    health = "health"
    social_care = "social_care"
    charity = "charity"
    business = "business"
    other = "other"


class AgencyStatus(StrEnum):
    active = "active"
    suspended = "suspended"


class Agency(Versioned, UUIDPk, Timestamps, Audited, Base):
    """A member agency of the partnership."""

    __tablename__ = "agency"
    __audit_resource__ = "agency"
    __audit_metadata__ = frozenset(
        {"id", "name", "slug", "sector", "status", "version", "token_version"}
    )

    name: Mapped[str] = mapped_column(String(200), unique=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    sector: Mapped[Sector] = mapped_column(String(32))
    status: Mapped[AgencyStatus] = mapped_column(String(16), default=AgencyStatus.active)
    # Bumped on suspension: every token issued to the agency's people and partner systems
    # before it stays dead after reinstatement.
    token_version: Mapped[int] = mapped_column(default=1)

    __audit_status_steps__ = {AgencyStatus.suspended: "suspend", AgencyStatus.active: "reinstate"}


class User(Versioned, UUIDPk, Timestamps, Audited, Base):
    """A person: each belongs to exactly one agency."""

    __tablename__ = "user_account"
    __audit_resource__ = "user"
    __audit_metadata__ = frozenset(
        {"id", "email", "display_name", "agency_id", "roles", "is_active", "token_version"}
        | {"password_changed_at", "disabled_by_admin", "version"}
    )
    __audit_secret__ = frozenset({"password_hash"})
    __audit_ignore__ = frozenset({"created_at", "updated_at", "last_login_at"})

    email: Mapped[str] = mapped_column(String(320), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agency.id"), index=True)
    roles: Mapped[list[Any]] = mapped_column(default=lambda: ["member"])
    password_hash: Mapped[str] = mapped_column(String(255))
    is_active: Mapped[bool] = mapped_column(default=True)
    # Bumped to revoke every token issued before: disable, password change, logout.
    token_version: Mapped[int] = mapped_column(default=1)
    # Disabled by an admin or the command line: an agency admin may not re-enable the user.
    disabled_by_admin: Mapped[bool] = mapped_column(default=False)
    last_login_at: Mapped[datetime | None]
    password_changed_at: Mapped[datetime | None]

    def audit_step(self, op: str, changes: dict[str, Any]) -> str | None:
        if op == "update":
            if "roles" in changes:
                return "roles_change"
            if "is_active" in changes:
                return "enable" if changes["is_active"].get("after") else "disable"
            if "password_changed_at" in changes:
                return "password_change"
        return None


class ServiceAccount(Versioned, UUIDPk, Timestamps, Audited, Base):
    """A partner system of an agency."""

    __tablename__ = "service_account"
    __audit_resource__ = "service_account"
    __audit_metadata__ = frozenset(
        {"id", "name", "agency_id", "client_id", "scopes", "is_active", "token_version"}
        | {"revoked_at", "responsible_user_id", "version"}
    )
    __audit_secret__ = frozenset({"secret_hash"})

    name: Mapped[str] = mapped_column(String(200))
    agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agency.id"), index=True)
    client_id: Mapped[str] = mapped_column(String(64), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(255))
    scopes: Mapped[list[Any]] = mapped_column(default=list)
    is_active: Mapped[bool] = mapped_column(default=True)
    token_version: Mapped[int] = mapped_column(default=1)
    revoked_at: Mapped[datetime | None]
    # The person who last received the secret (at creation or rotation): answerable for
    # what the partner system writes, e.g. never the approver of minutes it drafted.
    responsible_user_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)

    def audit_step(self, op: str, changes: dict[str, Any]) -> str | None:
        if op == "update":
            if "revoked_at" in changes:
                return "revoke"
            if "token_version" in changes and "scopes" not in changes:
                return "rotate_secret"
            if "scopes" in changes:
                return "scopes_change"
        return None
