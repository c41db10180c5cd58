"""Names beside ids (contract §12), and recipients kept the owner's business.

A page of items costs one lookup whatever its size: the agencies and the people (users or
partner systems) its items name, in one statement. A reader sees a person's name only while
the person is an active member of an active agency; otherwise "(former member)".
"""

import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import chain
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy import and_, literal, null, select, union_all
from sqlalchemy.orm import Session

from oversight.access.classification import TLP
from oversight.agencies.models import Agency, AgencyStatus
from oversight.auth.principal import Principal
from oversight.service_accounts.models import ServiceAccount
from oversight.users.models import User

FORMER = "(former member)"
# Output field -> the id column it names, for every representation that has them.
AGENCY_REFS = {"agency": "agency_id", "owner_agency": "owner_agency_id"}
PERSON_REFS = {"author": "author_id", "assignee": "assignee_user_id", "chair": "chair_user_id"}

R = TypeVar("R", bound=BaseModel)


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


def lookup(session: Session, agency_ids: Iterable[Any], person_ids: Iterable[Any]) -> Names:
    """The names of these agencies and people (users or partner systems), in one query."""
    names = Names()
    wanted = {_uuid(a) for a in agency_ids if a is not None}
    people = {_uuid(p) for p in person_ids if p is not None}
    parts = []
    if wanted:
        parts.append(
            select(Agency.id, Agency.name, Agency.slug, literal(True).label("shown")).where(
                Agency.id.in_(wanted)
            )
        )
    if people:
        for holder, name in ((User, User.display_name), (ServiceAccount, ServiceAccount.name)):
            active = and_(holder.is_active, Agency.status == AgencyStatus.active.value)
            parts.append(
                select(holder.id, name.label("name"), null().label("slug"), active.label("shown"))
                .join(Agency, Agency.id == holder.agency_id)
                .where(holder.id.in_(people))
            )
    if not parts:
        return names
    for r in session.execute(union_all(*parts)):
        if r.slug is not None:  # an agency (every agency has a slug; no person has one)
            names.agencies[r.id] = {"id": r.id, "name": r.name, "slug": r.slug}
        else:
            names.people[r.id] = {"id": r.id, "display_name": r.name if r.shown else FORMER}
    return names


def recipients_seen(principal: Principal, item: Any) -> dict[str, Any]:
    """Who else received an item is its owner's business: others learn only that they did."""
    named = str(principal.agency_id) in (item.recipient_agencies or ()) or str(principal.id) in (
        item.recipient_users or ()
    )
    owner = principal.agency_id == item.agency_id or (
        item.tlp == TLP.red and principal.id == item.author_id
    )
    agencies = item.recipient_agencies if owner else None
    users = item.recipient_users if owner else None
    return {"recipient_agencies": agencies, "recipient_users": users, "shared_with_you": named}


@dataclass(frozen=True, slots=True)
class Inner:
    """Agencies named inside an item's own documents (a meeting's attendance rows): the ids
    to look up with the page's other names, and the fields filled from them."""

    agency_ids: Callable[[Any], Iterable[Any]]
    fields: Callable[[Any, Names], dict[str, Any]]


def live(
    session: Session,
    principal: Principal | None,
    items: Sequence[Any],
    read: type[BaseModel],
    extra: Callable[[Any], dict[str, Any]] | None = None,
    inner: Inner | None = None,
) -> list[dict[str, Any]]:
    """What `read` shows of each item that is not the item's own columns: the names beside
    its ids (and `inner`'s), the recipients as `principal` may see them, and `extra`'s
    fields."""
    fields = read.model_fields
    agency_refs = {out: src for out, src in AGENCY_REFS.items() if out in fields}
    person_refs = {out: src for out, src in PERSON_REFS.items() if out in fields}
    inner_ids = (a for i in items for a in inner.agency_ids(i)) if inner else ()
    names = lookup(
        session,
        chain((getattr(i, src, None) for i in items for src in agency_refs.values()), inner_ids),
        (getattr(i, src, None) for i in items for src in person_refs.values()),
    )
    shown = []
    for item in items:
        data = {out: names.agency(getattr(item, src, None)) for out, src in agency_refs.items()}
        data |= {out: names.person(getattr(item, src, None)) for out, src in person_refs.items()}
        if principal is not None and "shared_with_you" in fields:
            data |= recipients_seen(principal, item)
        if inner is not None:
            data |= inner.fields(item, names)
        if extra is not None:
            data |= extra(item)
        shown.append(data)
    return shown


def live_fields(read: type[BaseModel], extra: Sequence[str] = ()) -> frozenset[str]:
    """The fields of `read` that `live` fills (for a principal), beside `extra`'s."""
    fields = read.model_fields
    refs = {out for out in (*AGENCY_REFS, *PERSON_REFS) if out in fields}
    if "shared_with_you" in fields:
        refs |= {"recipient_agencies", "recipient_users", "shared_with_you"}
    return frozenset(refs | set(extra))


def present(
    session: Session,
    principal: Principal | None,
    items: Sequence[Any],
    read: type[R],
    extra: Callable[[Any], dict[str, Any]] | None = None,
    inner: Inner | None = None,
) -> list[R]:
    """Items as `read` shows them to `principal` (None: anyone, on the public feed)."""
    fields = read.model_fields
    shown = []
    added_all = live(session, principal, items, read, extra, inner)
    for item, added in zip(items, added_all, strict=True):
        data = {name: getattr(item, name) for name in fields if hasattr(item, name)}
        shown.append(read.model_validate(data | added))
    return shown


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
