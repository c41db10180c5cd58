"""Reading representations: a page of items as JSON, each the stored fields of its current
version joined to what its reader sees live.

The page's items come from the classified repository as before (the policy filters in SQL,
classified reads are recorded there), loading only the columns `Kind.columns` names and the
stored representation (`loading`). An item without a stored representation of its version
(written before they existed, or by a path that bypassed the ORM) is presented in full, as
every item once was.
"""

import uuid
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

from pydantic_core import to_json
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from oversight.access.names import live, refs
from oversight.access.repository import ClassifiedRepository
from oversight.accounts.names import Joined, joined
from oversight.auth.principal import Principal
from oversight.representations.models import StoredRepresentation
from oversight.representations.store import Kind


def loading(repository: ClassifiedRepository[Any], kind: Kind) -> Select[Any]:
    """The repository's base query selecting what a page of `kind` needs, as rows: the
    columns its live fields come from, and the stored representation of each item's current
    version (`stored_body`, null when it has none)."""
    named = _named(kind)
    extra = (_stored_body(kind), *kind.computed, *named.columns)
    return repository.loading(kind.resource, kind.columns, *extra, joins=named.joins)


@cache
def _named(kind: Kind) -> Joined:
    """The names beside a page's ids, read with its rows: no lookup of their own."""
    agency_refs, person_refs = refs(kind.read)
    return joined(kind.model, agency_refs.values(), person_refs.values())


@cache
def _stored_body(kind: Kind) -> Any:
    m: Any = kind.model
    t = StoredRepresentation
    body = select(t.body).where(t.item_id == m.id, t.version == m.version).scalar_subquery()
    return body.label("stored_body")


def items_json(
    session: Session,
    principal: Principal,
    kind: Kind,
    rows: Sequence[Any],
    full: Callable[[list[uuid.UUID]], Sequence[Any]],
) -> list[bytes]:
    """The page's items as JSON objects, in the page's order; `full` loads the items that
    have no stored body of their version, presented in full by the kind's presenter."""
    extra = kind.derive(session, principal, rows) if kind.derive is not None else None
    bodies = {r.id: r.stored_body for r in rows if r.stored_body is not None}
    kept = [r for r in rows if r.id in bodies]
    known = _named(kind).names(kept)
    order = kind.live_schema.model_fields  # the live fields, in the read schema's order
    shown = {
        r.id: _joined(bodies[r.id], to_json({f: d.get(f) for f in order}).decode())
        for r, d in zip(
            kept, live(session, principal, kept, kind.read, extra, kind.inner, known), strict=True
        )
    }
    missing = [r.id for r in rows if r.id not in bodies]
    if missing:
        for item in kind.present(session, principal, full(missing)):
            shown[item.id] = item.model_dump_json()  # type: ignore[attr-defined]
    return [shown[r.id].encode() for r in rows]


def _joined(members: str, live_object: str) -> str:
    """One JSON object of stored members and a live object's."""
    return f"{{{members}}}" if live_object == "{}" else f"{{{members},{live_object[1:]}"
