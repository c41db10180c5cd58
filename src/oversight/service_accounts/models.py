"""Partner systems of an agency, authenticating with OAuth2 client credentials."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from oversight.audit.changes import Audited
from oversight.db import Base, Timestamps, UUIDPk, Versioned


class ServiceAccount(Versioned, UUIDPk, Timestamps, Audited, Base):
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
