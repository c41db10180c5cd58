"""Member agencies of the partnership."""

from enum import StrEnum

from sqlalchemy import String
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
