"""Every ORM model, imported once so the metadata (and Alembic) sees them all."""

from oversight.accounts.models import Agency, ServiceAccount, User
from oversight.actions.models import ActionItem, ActionUpdate
from oversight.audit.models import AuditChainHead, AuditRecord
from oversight.auth.models import AuthCounter, RefreshToken
from oversight.bulletins.models import Bulletin, BulletinAcknowledgement, BulletinRevision
from oversight.changes.models import ChangeCounter, ChangeEvent
from oversight.db import Base
from oversight.idempotency.models import IdempotencyRecord
from oversight.meetings.models import Meeting, MeetingMinutes
from oversight.reports.models import Report
from oversight.reports.rollup import ReportTally
from oversight.representations.models import StoredRepresentation
from oversight.taxii.models import StixCollectionHead, StixObject, StixVersion
from oversight.webhooks.models import Webhook, WebhookDelivery, WebhookState

__all__ = [
    "ActionItem",
    "ActionUpdate",
    "Agency",
    "AuditChainHead",
    "AuditRecord",
    "AuthCounter",
    "Base",
    "Bulletin",
    "BulletinAcknowledgement",
    "BulletinRevision",
    "ChangeCounter",
    "ChangeEvent",
    "IdempotencyRecord",
    "Meeting",
    "MeetingMinutes",
    "RefreshToken",
    "Report",
    "ReportTally",
    "ServiceAccount",
    "StixCollectionHead",
    "StixObject",
    "StixVersion",
    "StoredRepresentation",
    "User",
    "Webhook",
    "WebhookDelivery",
    "WebhookState",
]
