"""Incident and near-miss reports (contract §15): classified like bulletins, no drafts."""

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from oversight.access.models import (
    CLASSIFIED_METADATA,
    Classified,
    note_reclassification,
    recipient_tables,
)
from oversight.audit.changes import Audited
from oversight.auth.scopes import Scope
from oversight.db import Base, Timestamps, UUIDPk, Versioned


class ReportKind(StrEnum):
    near_miss = "near_miss"
    incident = "incident"


class ReportStatus(StrEnum):
    submitted = "submitted"
    withdrawn = "withdrawn"


class Vector(StrEnum):
    phishing = "phishing"
    unpatched_software = "unpatched_software"
    account_takeover = "account_takeover"
    weak_credentials = "weak_credentials"
    social_engineering = "social_engineering"
    insider = "insider"
    supply_chain = "supply_chain"
    ddos = "ddos"
    other = "other"


class VictimType(StrEnum):
    individual = "individual"
    sme = "sme"
    large_business = "large_business"
    charity = "charity"
    public_sector = "public_sector"
    education = "education"
    health = "health"
    other = "other"


class Outcome(StrEnum):
    prevented = "prevented"
    contained = "contained"
    loss = "loss"


class Report(Versioned, UUIDPk, Timestamps, Classified, Audited, Base):
    """`agency_id` is the reporting agency; `author_id` who reported. Readers outside the
    agency do not learn either when `anonymous_to_peers` is set (the audit trail keeps them)."""

    __tablename__ = "report"
    __audit_resource__ = "report"
    __audit_metadata__ = CLASSIFIED_METADATA | {
        "kind",
        "occurred_on",
        "category",
        "vector",
        "victim_type",
        "outcome",
        "financial_loss_gbp",
        "downtime_hours",
        "reported_to_action_fraud",
        "anonymous_to_peers",
        "include_in_statistics",
        "status",
        "withdrawn_at",
        "bulletin_id",
    }
    __write_scope__ = Scope.reports_write.value
    __recipient_agency_table__, __recipient_user_table__ = recipient_tables("report")

    kind: Mapped[str] = mapped_column(String(16))
    occurred_on: Mapped[date]
    category: Mapped[str] = mapped_column(String(32))
    vector: Mapped[str] = mapped_column(String(32))
    victim_type: Mapped[str] = mapped_column(String(32))
    outcome: Mapped[str] = mapped_column(String(16))
    financial_loss_gbp: Mapped[int] = mapped_column(default=0)
    downtime_hours: Mapped[float | None]
    reported_to_action_fraud: Mapped[bool] = mapped_column(default=False)
    description: Mapped[str] = mapped_column(Text, default="")
    anonymous_to_peers: Mapped[bool] = mapped_column(default=False)
    include_in_statistics: Mapped[bool] = mapped_column(default=True)
    status: Mapped[str] = mapped_column(String(16), default=ReportStatus.submitted.value)
    withdrawn_at: Mapped[datetime | None]
    withdrawal_reason: Mapped[str | None] = mapped_column(Text)
    # The draft bulletin this report was promoted to (the bulletin names it back).
    bulletin_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("bulletin.id"))

    __table_args__ = (
        Index("ix_report_created", "created_at", "id"),
        Index("ix_report_occurred", "occurred_on", "id"),
        Index("ix_report_updated_at", "updated_at"),
    )

    __audit_status_steps__ = {ReportStatus.withdrawn: "withdraw"}

    def audit_step(self, op: str, changes: dict[str, Any]) -> str | None:
        if op == "update" and "bulletin_id" in changes:
            return "promote"
        return "reclassify" if op == "update" and note_reclassification(self, changes) else None
