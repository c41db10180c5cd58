"""The rules for partner systems: the same reach as for users; secrets kept only as hashes.

Every function takes the acting principal; `None` is the system (the command line).
"""

import secrets
import uuid

from sqlalchemy.orm import Session

from oversight.access.reach import Reach, target_agency
from oversight.accounts.models import ServiceAccount
from oversight.agencies import repository as agencies
from oversight.auth.passwords import new_secret, secret_digest
from oversight.auth.principal import Principal
from oversight.db import utcnow
from oversight.errors import Conflict, Unprocessable
from oversight.service_accounts import repository
from oversight.service_accounts.schemas import ServiceAccountCreate

accounts = Reach(
    ServiceAccount,
    "service account",
    "client_id",
    lambda s, ref: repository.by_client_id(s, ref.strip()),
)
listing = accounts.listing
get = accounts.get
find = accounts.find


def _person(principal: Principal | None) -> uuid.UUID | None:
    """Who receives the secret, and so answers for what the partner system writes."""
    return principal.id if principal is not None and principal.is_user else None


def create(
    session: Session, principal: Principal | None, data: ServiceAccountCreate
) -> tuple[ServiceAccount, str]:
    """Create a partner system; returns it with its client secret, which is not kept."""
    agency_id = target_agency(principal, data.agency_id)
    if agencies.get(session, agency_id) is None:
        raise Unprocessable("agency_id names no agency")
    secret = new_secret("ovs_")
    sa = ServiceAccount(
        name=data.name,
        agency_id=agency_id,
        client_id=f"cli_{secrets.token_hex(12)}",
        secret_hash=secret_digest(secret),
        scopes=[s.value for s in data.scopes],
        is_active=True,
        responsible_user_id=_person(principal),
    )
    session.add(sa)
    session.flush()
    return sa, secret


def rotate_secret(
    session: Session,
    principal: Principal | None,
    sa_id: uuid.UUID,
    expected_version: int | None = None,
) -> tuple[ServiceAccount, str]:
    """A new secret; the old one and every token issued with it stop working at once."""
    sa = get(session, principal, sa_id, expected_version)
    if not sa.is_active:
        raise Conflict(f"The service account {sa.client_id} ({sa.name}) is revoked")
    secret = new_secret("ovs_")
    sa.secret_hash = secret_digest(secret)
    sa.token_version += 1
    sa.responsible_user_id = _person(principal)
    session.flush()
    return sa, secret


def revoke(
    session: Session,
    principal: Principal | None,
    sa_id: uuid.UUID,
    expected_version: int | None = None,
    *,
    version_required: bool = False,
) -> ServiceAccount:
    """For good: tokens die on the next request and the credentials never work again."""
    sa = get(session, principal, sa_id, expected_version, version_required=version_required)
    if sa.is_active:
        sa.is_active = False
        sa.revoked_at = utcnow()
        sa.token_version += 1
        session.flush()
    return sa
