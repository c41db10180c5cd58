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

from sqlalchemy import ColumnElement, and_, exists, false, or_, select, true

from oversight.access.classification import TLP
from oversight.access.models import Classified
from oversight.auth.principal import Principal
from oversight.auth.scopes import Role


def _named_agency(model: type[Classified], principal: Principal) -> ColumnElement[bool]:
    t = model.__recipient_agency_table__
    return exists(
        select(t.c.item_id).where(
            t.c.item_id == model.id,  # type: ignore[attr-defined]
            t.c.agency_id == principal.agency_id,
        )
    )


def _named_user(model: type[Classified], principal: Principal) -> ColumnElement[bool]:
    t = model.__recipient_user_table__
    return exists(
        select(t.c.item_id).where(
            t.c.item_id == model.id,  # type: ignore[attr-defined]
            t.c.user_id == principal.id,
        )
    )


def visible_to(principal: Principal, model: type[Classified]) -> ColumnElement[bool]:
    """SQL true for the rows of `model` that `principal` may read."""
    own = model.agency_id == principal.agency_id
    if principal.kind == "user":
        red: ColumnElement[bool] = or_(
            model.author_id == principal.id, _named_user(model, principal)
        )
    else:
        red = false()
    readable = or_(
        model.tlp.in_([TLP.clear.value, TLP.green.value]),
        and_(
            model.tlp == TLP.amber.value,
            or_(own, model.names_agencies.is_(False), _named_agency(model, principal)),
        ),
        and_(model.tlp == TLP.amber_strict.value, or_(own, _named_agency(model, principal))),
        and_(model.tlp == TLP.red.value, red),
    )
    extra = model.extra_readers(principal)
    if extra is not None:
        readable = or_(readable, extra)
    draft = model.draft_clause()
    if draft is None:
        return readable
    may_see_drafts: ColumnElement[bool] = (
        own if Role.editor in principal.roles or _is_writing_service(principal) else false()
    )
    if principal.kind == "user":
        may_see_drafts = or_(may_see_drafts, model.author_id == principal.id)
    return and_(readable, or_(~draft, may_see_drafts))


def _is_writing_service(principal: Principal) -> bool:
    return principal.kind == "service" and any(s.endswith(":write") for s in principal.scopes)


def public_clause(model: Any) -> ColumnElement[bool]:
    """What anyone may read without logging in: CLEAR items that are not drafts."""
    draft = model.draft_clause()
    clear = model.tlp == TLP.clear.value
    return and_(clear, ~draft) if draft is not None else and_(clear, true())
