"""Stored responses of creating requests, keyed by principal and Idempotency-Key."""

from datetime import datetime
from typing import Any

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from oversight.db import Base, utcnow


class IdempotencyRecord(Base):
    __tablename__ = "idempotency_record"

    principal: Mapped[str] = mapped_column(String(80), primary_key=True)
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int]
    response_body: Mapped[dict[str, Any]]
    response_headers: Mapped[dict[str, Any]]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]

    __table_args__ = (Index("ix_idempotency_record_expires_at", "expires_at"),)
