"""THE classification rule of contract §4, written once as a SQL clause.

Who may read an item owned by agency O:
- CLEAR: every authenticated principal;
- GREEN: principals of every active member agency;
- AMBER: principals of O and of the named agencies; none named = every member agency;
- AMBER+STRICT: principals of O and of the named agencies; none named = O alone;
- RED: the author and the named users; never a service account.
Drafts: only the author and the editors of O. Principals of a suspended agency: nothing
(their tokens are refused before any query). `admin` and `auditor` see no more than members.
"""

from typing import Any

from sqlalchemy import ColumnElement, Uuid, and_, case, false, literal, or_, select, true

from oversight.access.classification import TLP
from oversight.access.models import Classified
from oversight.auth.principal import Principal
from oversight.auth.scopes import Role


def _named_agency(model: type[Classified], principal: Principal) -> ColumnElement[bool]:
    """`:agency IN (the item's recipient agencies)`: probes the item's few index rows.

    Only for the rows a page walks; an EXISTS here lets PostgreSQL hash every item that
    names the agency on each query instead, which grows with the table.
    """
    t = model.__recipient_agency_table__
    item = model.id  # type: ignore[attr-defined]
    return literal(principal.agency_id, Uuid).in_(
        select(t.c.agency_id).where(t.c.item_id == item)
    )


def _named_user(model: type[Classified], principal: Principal) -> ColumnElement[bool]:
    t = model.__recipient_user_table__
    item = model.id  # type: ignore[attr-defined]
    return literal(principal.id, Uuid).in_(select(t.c.user_id).where(t.c.item_id == item))


def visible_to(principal: Principal, model: type[Classified]) -> ColumnElement[bool]:
    """SQL true for the rows of `model` that `principal` may read."""
    own = model.agency_id == principal.agency_id
    if principal.kind == "user":
        red: ColumnElement[bool] = or_(
            model.author_id == principal.id, _named_user(model, principal)
        )
    else:
        red = false()
    # One CASE over the TLP rather than an OR of `tlp = …` terms: no index serves "readable",
    # so a page walks the (created_at, id) index in order and stops after `limit` rows,
    # instead of SQLite gathering every readable row through the tlp index and sorting them.
    readable: ColumnElement[bool] = case(
        (model.tlp.in_([TLP.clear.value, TLP.green.value]), true()),
        (
            model.tlp == TLP.amber.value,
            or_(own, model.names_agencies.is_(False), _named_agency(model, principal)),
        ),
        (model.tlp == TLP.amber_strict.value, or_(own, _named_agency(model, principal))),
        (model.tlp == TLP.red.value, red),
        else_=false(),
    )
    extra = model.extra_readers(principal)
    if extra is not None:
        readable = or_(readable, extra)
    draft = model.draft_clause()
    if draft is None:
        return readable
    may_see_drafts: ColumnElement[bool] = (
        own
        if Role.editor in principal.roles or _is_writing_service(principal, model)
        else false()
    )
    may_see_drafts = or_(may_see_drafts, model.author_id == principal.id)
    return and_(readable, or_(~draft, may_see_drafts))


def _is_writing_service(principal: Principal, model: type[Classified]) -> bool:
    if principal.kind != "service":
        return False
    if model.__write_scope__ is not None:
        return model.__write_scope__ in principal.scopes
    return any(s.endswith(":write") for s in principal.scopes)


def public_clause(model: Any) -> ColumnElement[bool]:
    """What anyone may read without logging in: CLEAR items that are not drafts."""
    draft = model.draft_clause()
    clear = model.tlp == TLP.clear.value
    return and_(clear, ~draft) if draft is not None else and_(clear, true())
