"""Who a webhook delivers as, and whether that principal may hear of an event now."""

import uuid
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

# Imported for the classified repositories they register by resource (see `readable`).
import oversight.actions.repository
import oversight.bulletins.repository
import oversight.meetings.repository
import oversight.reports.repository  # noqa: F401
from oversight.access.repository import ClassifiedRepository
from oversight.accounts.models import Agency, AgencyStatus, ServiceAccount
from oversight.audit.chain import rfc3339
from oversight.auth.principal import Principal
from oversight.changes.service import READ_SCOPE

PATHS = {
    "bulletin": "bulletins",
    "meeting": "meetings",
    "action": "actions",
    "report": "reports",
}


def principal_of(session: Session, account_id: uuid.UUID) -> Principal | None:
    """The service account as a principal, if it (and its agency) may still read anything."""
    row = session.execute(
        select(ServiceAccount.agency_id, ServiceAccount.scopes, ServiceAccount.is_active)
        .join(Agency, Agency.id == ServiceAccount.agency_id)
        .where(ServiceAccount.id == account_id, Agency.status == AgencyStatus.active)
    ).first()
    if row is None or not row.is_active:
        return None
    return Principal("service", account_id, row.agency_id, frozenset(), frozenset(row.scopes))


def readable_resources(principal: Principal) -> list[str]:
    return [r for r, scope in READ_SCOPE.items() if scope in principal.scopes]


def readable(
    session: Session, principal: Principal, items: Iterable[tuple[str | None, uuid.UUID | None]]
) -> set[tuple[str, uuid.UUID]]:
    """Which of these (resource type, id) the principal reads now: one query per resource
    type, by primary key, through the classified repository (the one policy)."""
    wanted: dict[str, set[uuid.UUID]] = {}
    for resource_type, resource_id in items:
        if resource_type is not None and resource_id is not None:
            wanted.setdefault(resource_type, set()).add(resource_id)
    return {
        (resource, item)
        for resource in readable_resources(principal)
        if resource in wanted
        for item in ClassifiedRepository.of(resource)(session, principal).visible_ids(
            wanted[resource]
        )
    }


def payload(
    base_url: str,
    kind: str,
    at: datetime,
    resource_type: str | None,
    resource_id: uuid.UUID | None,
    version: int | None,
) -> dict[str, object]:
    """The body of a delivery: what changed, where to read it, never its content."""
    url = (
        f"{base_url.rstrip('/')}/api/v1/{PATHS[resource_type]}/{resource_id}"
        if resource_type in PATHS and resource_id is not None
        else None
    )
    return {
        "type": kind,
        "timestamp": rfc3339(at),
        "data": {
            "resource_type": resource_type,
            "resource_id": None if resource_id is None else str(resource_id),
            "version": version,
            "url": url,
        },
    }
