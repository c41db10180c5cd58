"""Names beside ids (contract §12), looked up for a page at a time.

A page of items costs one lookup whatever its size: the agencies and the people (users or
partner systems) its items name, in one statement. A reader sees a person's name only while
the person is an active member of an active agency; otherwise "(former member)".
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import CompoundSelect, and_, bindparam, literal, null, select, union_all
from sqlalchemy.orm import Session

from oversight.accounts.models import Agency, AgencyStatus, ServiceAccount, User

FORMER = "(former member)"


@dataclass(slots=True)
class Names:
    agencies: dict[uuid.UUID, dict[str, Any]] = field(default_factory=dict)
    people: dict[uuid.UUID, dict[str, Any]] = field(default_factory=dict)

    def agency(self, agency_id: Any) -> dict[str, Any] | None:
        return None if agency_id is None else self.agencies.get(_uuid(agency_id))

    def person(self, person_id: Any) -> dict[str, Any] | None:
        if person_id is None:
            return None
        found = self.people.get(_uuid(person_id))
        return found or {"id": person_id, "display_name": FORMER}


def _uuid(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def _names_statement() -> CompoundSelect[Any]:
    agencies = select(Agency.id, Agency.name, Agency.slug, literal(True).label("shown")).where(
        Agency.id.in_(bindparam("agency_ids", expanding=True))
    )
    parts = [agencies]
    for holder, name in ((User, User.display_name), (ServiceAccount, ServiceAccount.name)):
        active = and_(holder.is_active, Agency.status == AgencyStatus.active.value)
        parts.append(
            select(holder.id, name.label("name"), null().label("slug"), active.label("shown"))
            .join(Agency, Agency.id == holder.agency_id)
            .where(holder.id.in_(bindparam("person_ids", expanding=True)))
        )
    return union_all(*parts)


# Built once, its ids bound per page: building the statement anew for every page cost more
# than running it (docs/architecture.md, "The read path at the limit").
_NAMES = _names_statement()


def lookup(session: Session, agency_ids: Iterable[Any], person_ids: Iterable[Any]) -> Names:
    """The names of these agencies and people (users or partner systems), in one query."""
    names = Names()
    wanted = list({_uuid(a) for a in agency_ids if a is not None})
    people = list({_uuid(p) for p in person_ids if p is not None})
    if not wanted and not people:
        return names
    for r in session.execute(_NAMES, {"agency_ids": wanted, "person_ids": people}):
        if r.slug is not None:  # an agency (every agency has a slug; no person has one)
            names.agencies[r.id] = {"id": r.id, "name": r.name, "slug": r.slug}
        else:
            names.people[r.id] = {"id": r.id, "display_name": r.name if r.shown else FORMER}
    return names


NO_AGENCY = uuid.UUID(int=0)  # what an unknown agency filter matches: nothing


def agency_id_of(session: Session, ref: str | uuid.UUID | None) -> uuid.UUID | None:
    """An agency filter's agency, named by id or slug; one that names no agency matches
    nothing (NO_AGENCY), as an id of none does."""
    if ref is None or isinstance(ref, uuid.UUID):
        return ref
    try:
        return uuid.UUID(ref)
    except ValueError:
        found = session.scalar(select(Agency.id).where(Agency.slug == ref.lower()))
        return found if found is not None else NO_AGENCY
