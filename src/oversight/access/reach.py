"""Who may administer whom: admins every agency, agency admins their own one only.

`principal=None` is the system itself (the command line), which may do everything.
"""

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from oversight.accounts import names
from oversight.auth.principal import Principal
from oversight.auth.scopes import RESERVED_ROLES
from oversight.db.keyset import Key, PageSlice, equals, keyset
from oversight.db.versions import match_version, require_version
from oversight.errors import Forbidden, NotFound, Unprocessable


def managed_agency(principal: Principal | None) -> uuid.UUID | None:
    """The one agency within the caller's reach, or None for all of them."""
    if principal is None or principal.is_admin:
        return None
    if principal.is_user and principal.is_agency_admin:
        return principal.agency_id
    raise Forbidden("This needs the admin or agency_admin role")


def require_admin(principal: Principal | None) -> None:
    if principal is not None and not principal.is_admin:
        raise Forbidden("Only an admin may do this")


def target_agency(principal: Principal | None, requested: uuid.UUID | None) -> uuid.UUID:
    """The agency a new user or service account goes into: by default the caller's own."""
    reach = managed_agency(principal)
    if requested is None:
        if principal is None:
            raise Unprocessable("agency_id is required")
        return principal.agency_id
    if reach is not None and requested != reach:
        raise Forbidden("An agency admin may only manage its own agency")
    return requested


def check_reserved(principal: Principal | None, roles: set[str] | frozenset[str]) -> None:
    """Agency admins never hand out, take away, or act on holders of `admin`/`auditor`."""
    if principal is None or principal.is_admin:
        return
    reserved = sorted(set(roles) & RESERVED_ROLES)
    if reserved:
        raise Forbidden(f"Only an admin may grant, revoke or manage the role {reserved[0]}")


class AgencyScoped(Protocol):
    agency_id: uuid.UUID
    version: int


A = TypeVar("A", bound=AgencyScoped)


@dataclass(frozen=True)
class Reach(Generic[A]):
    """The people or partner systems within a caller's reach: one outside it is not found,
    like one that does not exist (an agency admin cannot tell another agency's people)."""

    model: type[A]
    noun: str  # "user"
    name: str  # what the command line also names one by: "email"
    by_name: Callable[[Session, str], A | None]
    # The list's filters besides agency and is_active: name -> the clause for a value.
    narrowed_by: Mapping[str, Callable[[Any], ColumnElement[bool]]] = field(default_factory=dict)

    def listing(
        self,
        session: Session,
        principal: Principal | None,
        page: PageSlice,
        agency_id: str | None = None,
        is_active: bool | None = None,
        **narrow: Any,
    ) -> tuple[list[A], Key | None]:
        """Newest first, those within the caller's reach, of the agency named (id or slug)."""
        reach = managed_agency(principal)
        agency = names.agency_id_of(session, agency_id)
        m: Any = self.model
        also = [self.narrowed_by[name](v) for name, v in narrow.items() if v is not None]
        stmt = select(m).where(
            *equals((m.agency_id, reach), (m.agency_id, agency), (m.is_active, is_active)), *also
        )
        return keyset(session, stmt, [m.created_at, m.id], page)

    def get(
        self,
        session: Session,
        principal: Principal | None,
        item_id: uuid.UUID,
        expected_version: int | None = None,
        *,
        version_required: bool = False,
    ) -> A:
        """At the version named, if any (required for edits)."""
        reach = managed_agency(principal)
        item = session.get(self.model, item_id)
        if item is None or (reach is not None and item.agency_id != reach):
            raise NotFound(f"No such {self.noun}")
        (require_version if version_required else match_version)(expected_version, item.version)
        return item

    def find(self, session: Session, principal: Principal | None, ref: str) -> A:
        """By id or by name (the command line names them either way)."""
        try:
            return self.get(session, principal, uuid.UUID(ref))
        except ValueError:
            pass
        item = self.by_name(session, ref)
        reach = managed_agency(principal)
        if item is None or (reach is not None and item.agency_id != reach):
            raise NotFound(f"No {self.noun} with id or {self.name} {ref!r}")
        return item
