"""The audit record table and the one-row chain head that serializes appends."""

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from oversight.db import Base

GENESIS_HASH = "0" * 64


class AuditRecord(Base):
    __tablename__ = "audit_record"

    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    at: Mapped[datetime]
    actor_type: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[str | None] = mapped_column(String(64))
    agency_id: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    resource_type: Mapped[str | None] = mapped_column(String(32))
    resource_id: Mapped[str | None] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(16))
    changes: Mapped[dict[str, Any] | None]
    ip: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(512))
    request_id: Mapped[str | None] = mapped_column(String(128))
    # Unique: two records can never claim the same predecessor, so the chain cannot fork.
    # (A hash covers its prev_hash, so hashes are unique with it: no index of their own.)
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hash: Mapped[str] = mapped_column(String(64))

    __table_args__ = (
        Index("ix_audit_record_actor_seq", "actor_id", "seq"),
        Index("ix_audit_record_agency_seq", "agency_id", "seq"),
        Index("ix_audit_record_action_seq", "action", "seq"),
        Index("ix_audit_record_resource_seq", "resource_type", "resource_id", "seq"),
        Index("ix_audit_record_at", "at"),
    )


class AuditChainHead(Base):
    """One row (id 1): the last seq and hash. Locked by every append."""

    __tablename__ = "audit_chain_head"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(BigInteger)
    hash: Mapped[str] = mapped_column(String(64))
