"""Every ORM model, imported once so the metadata (and Alembic) sees them all."""

from oversight.agencies.models import Agency
from oversight.audit.models import AuditChainHead, AuditRecord
from oversight.auth.models import LoginFailure, RefreshToken
from oversight.db import Base
from oversight.idempotency.models import IdempotencyRecord
from oversight.service_accounts.models import ServiceAccount
from oversight.users.models import User

__all__ = [
    "Agency",
    "AuditChainHead",
    "AuditRecord",
    "Base",
    "IdempotencyRecord",
    "LoginFailure",
    "RefreshToken",
    "ServiceAccount",
    "User",
]
