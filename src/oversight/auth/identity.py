"""Who the caller is, as `GET /me` shows it: a person or a partner system, and its agency."""

from typing import Any

from sqlalchemy.orm import Session

from oversight.accounts.models import Agency, ServiceAccount, User
from oversight.auth.principal import Principal
from oversight.auth.schemas import MeAgency, MeRead


def whoami(session: Session, principal: Principal) -> MeRead:
    agency = MeAgency.model_validate(
        session.get_one(Agency, principal.agency_id), from_attributes=True
    )
    own: dict[str, Any]
    if principal.kind == "user":
        user = session.get_one(User, principal.id)
        own = {"display_name": user.display_name, "email": user.email, "roles": user.roles}
    else:
        sa = session.get_one(ServiceAccount, principal.id)
        own = {"display_name": sa.name, "client_id": sa.client_id, "roles": []}
    own["roles"] = sorted(own["roles"])
    return MeRead(
        kind=principal.kind, id=principal.id, agency=agency, scopes=sorted(principal.scopes), **own
    )
