"""The rules for agencies: anyone reads them, only admins change them."""

import re
import unicodedata
import uuid
from functools import partial

from sqlalchemy.orm import Session

from oversight.access.reach import require_admin
from oversight.accounts.models import Agency, AgencyStatus
from oversight.agencies import repository
from oversight.agencies.schemas import AgencyCreate, AgencyUpdate
from oversight.auth.principal import Principal
from oversight.auth.revocation import revoke_agency_tokens
from oversight.db.versions import match_version, require_version
from oversight.errors import Conflict, NotFound, Unprocessable

NOT_FOUND = "No such agency"


def slugify(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:64].strip("-")


listing = repository.listing  # anyone reads the agencies: no rule stands between


def get(session: Session, agency_id: uuid.UUID) -> Agency:
    agency = repository.get(session, agency_id)
    if agency is None:
        raise NotFound(NOT_FOUND)
    return agency


def find(session: Session, ref: str) -> Agency:
    """An agency by id or slug (the command line names agencies either way)."""
    try:
        agency = repository.get(session, uuid.UUID(ref))
    except ValueError:
        agency = repository.by_slug(session, ref)
    if agency is None:
        raise NotFound(f"No agency with id or slug {ref!r}")
    return agency


def _managed(
    session: Session,
    principal: Principal | None,
    agency_id: uuid.UUID,
    expected_version: int | None,
    *,
    version_required: bool = False,
) -> Agency:
    """The agency, at the version named (required for edits), for an admin to change."""
    agency = get(session, agency_id)
    (require_version if version_required else match_version)(expected_version, agency.version)
    require_admin(principal)
    return agency


def _ensure_unique(
    session: Session, name: str | None, slug: str | None, except_id: uuid.UUID | None = None
) -> None:
    """A clash names the agency that holds the name or slug (agencies are public)."""
    other = repository.clash(session, name, slug, except_id)
    if other is None:
        return
    if name is not None and other.name == name:
        raise Conflict(f'An agency named "{other.name}" already exists (slug {other.slug})')
    raise Conflict(f'The slug {other.slug} is already taken by the agency "{other.name}"')


def create(session: Session, principal: Principal | None, data: AgencyCreate) -> Agency:
    require_admin(principal)
    slug = data.slug or slugify(data.name)
    if len(slug) < 2:
        raise Unprocessable("Give a slug: none can be made from this name")
    _ensure_unique(session, data.name, slug)
    agency = Agency(name=data.name, slug=slug, sector=data.sector, status=AgencyStatus.active)
    session.add(agency)
    session.flush()
    return agency


def update(
    session: Session,
    principal: Principal | None,
    agency_id: uuid.UUID,
    data: AgencyUpdate,
    expected_version: int | None,
) -> Agency:
    agency = _managed(session, principal, agency_id, expected_version, version_required=True)
    changes = data.model_dump(exclude_unset=True)
    _ensure_unique(session, changes.get("name"), changes.get("slug"), agency.id)
    for field, value in changes.items():
        setattr(agency, field, value)
    session.flush()
    return agency


def set_status(
    session: Session,
    principal: Principal | None,
    agency_id: uuid.UUID,
    expected_version: int | None = None,
    *,
    status: AgencyStatus,
) -> Agency:
    """Suspended, every token of the agency's users and service accounts fails from the next
    request, and stays dead after a reinstatement."""
    agency = _managed(session, principal, agency_id, expected_version)
    suspending = status == AgencyStatus.suspended
    if suspending and principal is not None and principal.agency_id == agency.id:
        raise Conflict("You cannot suspend your own agency: you would lock yourself out")
    if agency.status != status:
        agency.status = status
        if suspending:
            revoke_agency_tokens(session, agency)
        session.flush()
    return agency


suspend = partial(set_status, status=AgencyStatus.suspended)
reinstate = partial(set_status, status=AgencyStatus.active)
