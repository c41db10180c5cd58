"""Refresh tokens (hashed, single use, in families) and failed logins (for lockout)."""

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from oversight.db import Base, UUIDPk, utcnow


class RefreshToken(UUIDPk, Base):
    __tablename__ = "refresh_token"

    family_id: Mapped[uuid.UUID] = mapped_column(index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"), index=True)
    scope: Mapped[str] = mapped_column(String(500))
    token_version: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class LoginFailure(UUIDPk, Base):
    """One failed login; counted per account over the lockout window, on every worker."""

    __tablename__ = "login_failure"

    account: Mapped[str] = mapped_column(String(400))
    at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_login_failure_account_at", "account", "at"),)
