"""People: each belongs to exactly one agency."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from oversight.audit.changes import Audited
from oversight.db import Base, Timestamps, UUIDPk, Versioned


class User(Versioned, UUIDPk, Timestamps, Audited, Base):
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
