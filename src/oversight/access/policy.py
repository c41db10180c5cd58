"""THE classification rule of contract §4, written once as a SQL clause.

Who may read an item owned by agency O:
- CLEAR: every authenticated principal;
- GREEN: principals of every active member agency;
- AMBER: principals of O and of the named agencies; none named = every member agency;
- AMBER+STRICT: principals of O and of the named agencies; none named = O alone;
- RED: the author and the named users; never a service account.
Drafts: only the author and the editors of O. Principals of a suspended agency: nothing
(their tokens are refused before any query). `admin` and `auditor` see no more than members.
A model may name an agency column whose agency also reads the item (an action's owner
agency): that right covers CLEAR to AMBER+STRICT, never RED.
"""

import uuid
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Uuid,
    and_,
    bindparam,
    case,
    false,
    literal,
    or_,
    select,
    true,
)

from oversight.access.classification import TLP
from oversight.access.models import Classified
from oversight.auth.principal import Principal
from oversight.auth.scopes import Role

# The reader's agency and id, when a statement is built once for every reader of one shape
# (`shape`) and bound per request (`reader`): required, so a statement executed without its
# reader fails instead of reading for nobody in particular.
READER_AGENCY = "reader_agency"
READER_ID = "reader_id"


def _reader(principal: Principal, bound: bool) -> tuple[ColumnElement[Any], ColumnElement[Any]]:
    if bound:
        return _required(READER_AGENCY), _required(READER_ID)
    return literal(principal.agency_id, Uuid), literal(principal.id, Uuid)


def _required(key: str) -> BindParameter[Any]:
    return bindparam(key, type_=Uuid, required=True)


def shape(principal: Principal, model: type[Classified]) -> tuple[str, bool]:
    """What of `principal` decides the form of `visible_to(principal, model)`, beside the
    values `reader` binds: its kind, and whether it writes `model` for its agency."""
    return principal.kind, may_write(principal, model, principal.agency_id)


def reader(principal: Principal) -> dict[str, uuid.UUID]:
    """The values of a `visible_to(..., bound=True)` clause for `principal`."""
    return {READER_AGENCY: principal.agency_id, READER_ID: principal.id}


def _named_agency(model: type[Classified], agency: ColumnElement[Any]) -> ColumnElement[bool]:
    """`:agency IN (the item's recipient agencies)`: probes the item's few index rows.

    Only for the rows a page walks; an EXISTS here lets PostgreSQL hash every item that
    names the agency on each query instead, which grows with the table.
    """
    t = model.__recipient_agency_table__
    item = model.id  # type: ignore[attr-defined]
    return agency.in_(select(t.c.agency_id).where(t.c.item_id == item))


def _named_user(model: type[Classified], me: ColumnElement[Any]) -> ColumnElement[bool]:
    t = model.__recipient_user_table__
    item = model.id  # type: ignore[attr-defined]
    return me.in_(select(t.c.user_id).where(t.c.item_id == item))


def may_write(principal: Principal, model: type[Classified], agency_id: uuid.UUID) -> bool:
    """Whether `principal` writes `model` items for `agency_id`: the one test of an editor.

    People of the agency with the `editor` role; partner systems of the agency granted the
    model's write scope (not any other one). Both need that scope in the token they present.
    """
    if principal.agency_id != agency_id or model.__write_scope__ not in principal.scopes:
        return False
    return principal.kind == "service" or Role.editor in principal.roles


def _draft(model: type[Classified]) -> ColumnElement[bool] | None:
    if model.__draft__ is None:
        return None
    column, value = model.__draft__
    return getattr(model, column) == value


def visible_to(
    principal: Principal, model: type[Classified], *, bound: bool = False
) -> ColumnElement[bool]:
    """SQL true for the rows of `model` that `principal` may read; with `bound`, the same
    clause for every principal of its `shape`, its reader left to bind (`reader`)."""
    agency, me = _reader(principal, bound)
    own = model.agency_id == agency
    if principal.kind == "user":
        red: ColumnElement[bool] = or_(model.author_id == me, _named_user(model, me))
    else:
        red = false()
    reader_agency = (
        getattr(model, model.__reader_agency__) == agency if model.__reader_agency__ else false()
    )
    # One CASE over the TLP rather than an OR of `tlp = …` terms: no index serves "readable",
    # so a page walks the (created_at, id) index in order and stops after `limit` rows,
    # instead of SQLite gathering every readable row through the tlp index and sorting them.
    readable: ColumnElement[bool] = case(
        (model.tlp.in_([TLP.clear.value, TLP.green.value]), true()),
        (
            model.tlp == TLP.amber.value,
            or_(own, reader_agency, model.names_agencies.is_(False), _named_agency(model, agency)),
        ),
        (
            model.tlp == TLP.amber_strict.value,
            or_(own, reader_agency, _named_agency(model, agency)),
        ),
        (model.tlp == TLP.red.value, red),
        else_=false(),
    )
    draft = _draft(model)
    if draft is None:
        return readable
    may_see_drafts = or_(
        own if may_write(principal, model, principal.agency_id) else false(),
        model.author_id == me,
    )
    return and_(readable, or_(~draft, may_see_drafts))


def public_clause(model: type[Classified]) -> ColumnElement[bool]:
    """What anyone may read without logging in: CLEAR items that are not drafts."""
    draft = _draft(model)
    clear = model.tlp == TLP.clear.value
    return and_(clear, ~draft) if draft is not None else and_(clear, true())


def may_read_draft_minutes(
    principal: Principal,
    owner_agency: uuid.UUID,
    chair: uuid.UUID | None,
    drafted_by: list[str],
    write_scope_model: type[Classified],
) -> bool:
    """Draft minutes of a meeting the principal reads: only for those who write or approve
    them (the owning agency's writers, the chair, anyone who wrote a part of the draft)."""
    return (
        may_write(principal, write_scope_model, owner_agency)
        or principal.id == chair
        or str(principal.id) in drafted_by
    )
