"""What the administration tests share."""

import uuid
from typing import Any

from oversight.accounts.models import Agency

USERS = "/api/v1/users"
AGENCIES = "/api/v1/agencies"
SERVICE_ACCOUNTS = "/api/v1/service-accounts"
ME = "/api/v1/me"


def new_user(agency_id: Any, **kw: Any) -> dict[str, Any]:
    body = {
        "email": f"new-{uuid.uuid4().hex[:10]}@example.org",
        "display_name": "New Person",
        "agency_id": str(agency_id),
    }
    return body | kw


def agency_of(factory: Any, principal: Any) -> Agency:
    return factory.session.get_one(Agency, principal.agency_id)
