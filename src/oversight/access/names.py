"""What a representation shows beside an item's own columns: the names beside its ids
(looked up by `accounts.names`, one statement a page), and recipients kept the owner's
business.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy.orm import Session

from oversight.access.classification import TLP
from oversight.accounts.names import Names, as_uuid, lookup
from oversight.auth.principal import Principal

# Output field -> the id column it names, for every representation that has them.
AGENCY_REFS = {"agency": "agency_id", "owner_agency": "owner_agency_id"}
PERSON_REFS = {"author": "author_id", "assignee": "assignee_user_id", "chair": "chair_user_id"}

R = TypeVar("R", bound=BaseModel)


def recipients_seen(principal: Principal) -> Callable[[Any], dict[str, Any]]:
    """Who else received an item is its owner's business: others learn only that they did.
    (The reader's ids as the recipient lists hold them, once a page.)"""
    agency, me = str(principal.agency_id), str(principal.id)

    def seen(item: Any) -> dict[str, Any]:
        named = agency in (item.recipient_agencies or ()) or me in (item.recipient_users or ())
        owner = principal.agency_id == item.agency_id or (
            item.tlp == TLP.red and principal.id == item.author_id
        )
        agencies = item.recipient_agencies if owner else None
        users = item.recipient_users if owner else None
        return {"recipient_agencies": agencies, "recipient_users": users, "shared_with_you": named}

    return seen


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
    known: Names | None = None,
) -> list[dict[str, Any]]:
    """What `read` shows of each item that is not the item's own columns: the names beside
    its ids (and `inner`'s), the recipients as `principal` may see them, and `extra`'s
    fields. `known`: the names of the items' own ids, read with them (`accounts.names.
    joined`); only `inner`'s agencies not among them are looked up."""
    agency_refs, person_refs = refs(read)
    inner_ids = (a for i in items for a in inner.agency_ids(i)) if inner else ()
    if known is None:
        names = lookup(
            session,
            chain((getattr(i, s, None) for i in items for s in agency_refs.values()), inner_ids),
            (getattr(i, src, None) for i in items for src in person_refs.values()),
        )
    else:
        names = known
        wanted = {as_uuid(a) for a in inner_ids if a is not None} - known.agencies.keys()
        if wanted:
            names.agencies |= lookup(session, wanted, ()).agencies
    fields = read.model_fields
    seen = recipients_seen(principal) if principal and "shared_with_you" in fields else None
    shown = []
    for item in items:
        data = {out: names.agency(getattr(item, src, None)) for out, src in agency_refs.items()}
        data |= {out: names.person(getattr(item, src, None)) for out, src in person_refs.items()}
        if seen is not None:
            data |= seen(item)
        if inner is not None:
            data |= inner.fields(item, names)
        if extra is not None:
            data |= extra(item)
        shown.append(data)
    return shown


def refs(read: type[BaseModel]) -> tuple[dict[str, str], dict[str, str]]:
    """The agency and person fields `read` shows, each by the id column it names."""
    fields = read.model_fields
    return (
        {out: src for out, src in AGENCY_REFS.items() if out in fields},
        {out: src for out, src in PERSON_REFS.items() if out in fields},
    )


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
