"""Refresh tokens (hashed, single use, in families) and attempt counters (lockout, rates)."""

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String
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


class AuthCounter(Base):
    """Attempts counted under one key in a fixed window: a lockout, a rate limit.

    Counted by one atomic upsert, so every worker and every concurrent request agrees on
    the count (see `auth.throttle`). Keys hold digests, never a typed username.
    """

    __tablename__ = "auth_counter"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    window_started_at: Mapped[datetime]
    count: Mapped[int]
