"""Who the caller is, as `GET /me` shows it: a person or a partner system, and its agency."""

from sqlalchemy.orm import Session

from oversight.agencies.models import Agency
from oversight.auth.principal import Principal
from oversight.auth.schemas import MeAgency, MeRead
from oversight.service_accounts.models import ServiceAccount
from oversight.users.models import User


def whoami(session: Session, principal: Principal) -> MeRead:
    agency = MeAgency.model_validate(
        session.get_one(Agency, principal.agency_id), from_attributes=True
    )
    scopes = sorted(principal.scopes)
    if principal.kind == "user":
        user = session.get_one(User, principal.id)
        return MeRead(
            kind="user",
            id=user.id,
            display_name=user.display_name,
            email=user.email,
            agency=agency,
            roles=sorted(user.roles),
            scopes=scopes,
        )
    sa = session.get_one(ServiceAccount, principal.id)
    return MeRead(
        kind="service",
        id=sa.id,
        display_name=sa.name,
        client_id=sa.client_id,
        agency=agency,
        roles=[],
        scopes=scopes,
    )
