"""Threat bulletins, their published revisions and the agencies' acknowledgements."""

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from oversight.access.models import (
    CLASSIFIED_METADATA,
    Classified,
    note_reclassification,
    recipient_tables,
)
from oversight.audit.changes import Audited
from oversight.auth.scopes import Scope
from oversight.db import Base, Timestamps, UUIDPk, Versioned, utcnow


class BulletinStatus(StrEnum):
    draft = "draft"
    published = "published"
    withdrawn = "withdrawn"


class Category(StrEnum):
    ransomware = "ransomware"
    phishing = "phishing"
    account_takeover = "account_takeover"
    data_theft = "data_theft"
    vulnerability = "vulnerability"
    fraud = "fraud"
    ddos = "ddos"
    malware = "malware"
    other = "other"


class Severity(StrEnum):
    low = "low"
    medium = "medium"
    high = "high"
    critical = "critical"


class AudienceSector(StrEnum):
    """Who a bulletin is about or for (not the agencies' own sectors)."""

    individuals = "individuals"
    sme = "sme"
    large_business = "large_business"
    charity = "charity"
    education = "education"
    health = "health"
    public_sector = "public_sector"
    social_care = "social_care"


class IndicatorType(StrEnum):
    ipv4 = "ipv4"
    ipv6 = "ipv6"
    domain = "domain"
    url = "url"
    email = "email"
    md5 = "md5"
    sha1 = "sha1"
    sha256 = "sha256"
    cve = "cve"
    filename = "filename"


class Bulletin(Versioned, UUIDPk, Timestamps, Classified, Audited, Base):
    __tablename__ = "bulletin"
    __audit_resource__ = "bulletin"
    __audit_metadata__ = CLASSIFIED_METADATA | {
        "category",
        "severity",
        "sectors",
        "status",
        "published_at",
        "review_by",
        "withdrawn_at",
        "report_id",
    }
    __write_scope__ = Scope.bulletins_write.value
    __draft__ = ("status", BulletinStatus.draft.value)

    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(32))
    severity: Mapped[str] = mapped_column(String(16))
    sectors: Mapped[list[Any]] = mapped_column(default=list)
    indicators: Mapped[list[Any]] = mapped_column(default=list)
    recommended_actions: Mapped[list[Any]] = mapped_column(default=list)
    references: Mapped[list[Any]] = mapped_column(default=list)
    status: Mapped[str] = mapped_column(String(16), default=BulletinStatus.draft.value)
    published_at: Mapped[datetime | None]
    review_by: Mapped[date | None]
    withdrawn_at: Mapped[datetime | None]
    withdrawal_reason: Mapped[str | None] = mapped_column(Text)
    # The incident or near-miss report this bulletin was drafted from (it names us back).
    report_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)

    # Lists are newest first; each filter a list is commonly narrowed by has its own
    # (filter, created_at, id) index so a page never sorts or scans the whole table.
    __table_args__ = (
        Index("ix_bulletin_created", "created_at", "id"),
        Index("ix_bulletin_status_created", "status", "created_at", "id"),
        Index("ix_bulletin_tlp_created", "tlp", "created_at", "id"),
        Index("ix_bulletin_category_created", "category", "created_at", "id"),
        Index("ix_bulletin_agency_created", "agency_id", "created_at", "id"),
        Index("ix_bulletin_updated_at", "updated_at"),
    )

    __audit_status_steps__ = {
        BulletinStatus.published: "publish",
        BulletinStatus.withdrawn: "withdraw",
    }

    def audit_step(self, op: str, changes: dict[str, Any]) -> str | None:
        return "reclassify" if op == "update" and note_reclassification(self, changes) else None


Bulletin.__recipient_agency_table__, Bulletin.__recipient_user_table__ = recipient_tables(
    "bulletin"
)


class BulletinRevision(UUIDPk, Audited, Base):
    """The text of a published bulletin as it stood after publication or after an edit."""

    __tablename__ = "bulletin_revision"
    __audit_resource__ = "bulletin_revision"
    __audit_metadata__ = frozenset(
        {"id", "bulletin_id", "number", "bulletin_version", "category", "severity", "sectors"}
        | {"changed_fields", "editor_id"}
    )

    bulletin_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("bulletin.id", ondelete="CASCADE"))
    number: Mapped[int]
    bulletin_version: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(32))
    severity: Mapped[str] = mapped_column(String(16))
    sectors: Mapped[list[Any]]
    indicators: Mapped[list[Any]]
    recommended_actions: Mapped[list[Any]]
    references: Mapped[list[Any]]
    changed_fields: Mapped[list[Any]]
    editor_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("bulletin_id", "number"),)


class BulletinAcknowledgement(UUIDPk, Audited, Base):
    """An agency's confirmation that it received a bulletin: once per agency."""

    __tablename__ = "bulletin_acknowledgement"
    __audit_resource__ = "bulletin_acknowledgement"
    __audit_metadata__ = frozenset(
        {"id", "bulletin_id", "agency_id", "acknowledged_by", "acknowledged_by_kind"}
        | {"acknowledged_at"}
    )

    bulletin_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("bulletin.id", ondelete="CASCADE"))
    agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agency.id"))
    acknowledged_by: Mapped[uuid.UUID] = mapped_column(Uuid)
    acknowledged_by_kind: Mapped[str] = mapped_column(String(16))
    acknowledged_at: Mapped[datetime] = mapped_column(default=utcnow)
    note: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (UniqueConstraint("bulletin_id", "agency_id"),)

    def audit_action(self, op: str, changes: dict[str, Any]) -> str:
        return "bulletin.acknowledge" if op == "create" else super().audit_action(op, changes)
