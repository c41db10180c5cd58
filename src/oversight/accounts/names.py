"""Names beside ids (contract §12), looked up for a page at a time.

A page of items costs one lookup whatever its size: the agencies and the people (users or
partner systems) its items name, in one statement. A reader sees a person's name only while
the person is an active member of an active agency; otherwise "(former member)".
"""

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import CompoundSelect, and_, bindparam, func, literal, null, select, union_all
from sqlalchemy.orm import Session, aliased

from oversight.accounts.models import Agency, AgencyStatus, ServiceAccount, User

FORMER = "(former member)"


@dataclass(slots=True)
class Names:
    agencies: dict[uuid.UUID, dict[str, Any]] = field(default_factory=dict)
    people: dict[uuid.UUID, dict[str, Any]] = field(default_factory=dict)

    def agency(self, agency_id: Any) -> dict[str, Any] | None:
        return None if agency_id is None else self.agencies.get(as_uuid(agency_id))

    def person(self, person_id: Any) -> dict[str, Any] | None:
        if person_id is None:
            return None
        found = self.people.get(as_uuid(person_id))
        return found or {"id": person_id, "display_name": FORMER}


def as_uuid(value: Any) -> uuid.UUID:
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
    wanted = list({as_uuid(a) for a in agency_ids if a is not None})
    people = list({as_uuid(p) for p in person_ids if p is not None})
    if not wanted and not people:
        return names
    for r in session.execute(_NAMES, {"agency_ids": wanted, "person_ids": people}):
        if r.slug is not None:  # an agency (every agency has a slug; no person has one)
            names.agencies[r.id] = {"id": r.id, "name": r.name, "slug": r.slug}
        else:
            names.people[r.id] = {"id": r.id, "display_name": r.name if r.shown else FORMER}
    return names


@dataclass(frozen=True, slots=True)
class Joined:
    """The names a row's id columns name, read with the row itself rather than by a lookup
    of their own: the columns to select and the outer joins that bring them, each labelled
    `<id column>__name` (and `__slug` for an agency, `__shown` for a person)."""

    agency_columns: tuple[str, ...]
    person_columns: tuple[str, ...]
    columns: tuple[Any, ...]
    joins: tuple[tuple[Any, Any], ...]

    def names(self, rows: Sequence[Any]) -> Names:
        """The names these rows were read with, under the rule of `lookup`."""
        names = Names()
        if not rows:
            return names
        at = rows[0]._fields.index  # by position: a row's attributes cost a lookup each
        agencies = [(at(c), at(f"{c}__name"), at(f"{c}__slug")) for c in self.agency_columns]
        people = [(at(c), at(f"{c}__name"), at(f"{c}__shown")) for c in self.person_columns]
        for r in rows:
            for ref, name, slug in agencies:
                if r[ref] is not None and r[name] is not None:
                    names.agencies[r[ref]] = {"id": r[ref], "name": r[name], "slug": r[slug]}
            for ref, name, shown in people:
                if r[ref] is not None and r[name] is not None:
                    shown_as = r[name] if r[shown] else FORMER
                    names.people[r[ref]] = {"id": r[ref], "display_name": shown_as}
        return names


def joined(model: Any, agency_columns: Iterable[str], person_columns: Iterable[str]) -> Joined:
    """The names of `model`'s agency and person id columns, as `lookup` finds them, to read
    with its rows: an agency by its id; a person as a user or a partner system, shown only
    while active in an agency that is active."""
    agencies, people = tuple(agency_columns), tuple(person_columns)
    columns: list[Any] = []
    joins: list[tuple[Any, Any]] = []
    for src in agencies:
        agency = aliased(Agency, name=f"{src}__agency")
        columns += [agency.name.label(f"{src}__name"), agency.slug.label(f"{src}__slug")]
        joins.append((agency, agency.id == getattr(model, src)))
    for src in people:
        ref = getattr(model, src)
        user = aliased(User, name=f"{src}__user")
        system = aliased(ServiceAccount, name=f"{src}__system")
        home = aliased(Agency, name=f"{src}__home")
        active = func.coalesce(user.is_active, system.is_active)
        columns += [
            func.coalesce(user.display_name, system.name).label(f"{src}__name"),
            and_(active, home.status == AgencyStatus.active.value).label(f"{src}__shown"),
        ]
        joins += [
            (user, user.id == ref),
            (system, system.id == ref),
            (home, home.id == func.coalesce(user.agency_id, system.agency_id)),
        ]
    return Joined(agencies, people, tuple(columns), tuple(joins))


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
