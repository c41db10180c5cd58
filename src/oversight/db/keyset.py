"""Keyset reads: one page of a query in key order, and the key to go on from; list filters.

Pure: no request, no cursor. A page asks for `limit + 1` rows; the extra one only says that
there is more (as Polar's `paginate` does), and the last key of the page is where the next
one starts. The web side turns that key into a signed cursor (`web.paging`).
"""

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Integer, Select, bindparam, tuple_
from sqlalchemy.orm import InstrumentedAttribute, Session

from oversight.errors import BadRequest

Key = tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class PageSlice:
    """Which page: at most `limit` rows after `after` (None: from the start)."""

    limit: int
    after: Key | None = None


# The bound values of an ordered statement (`ordered`, `bounds`).
LIMIT = "keyset_limit"
AFTER = "keyset_after_{}"


def ordered(
    stmt: Select[Any],
    keys: Sequence[InstrumentedAttribute[Any]],
    *,
    after: bool,
    descending: bool = True,
) -> Select[Any]:
    """`stmt` in the order of `keys` (the last unique), from after a key when `after`, at
    most a number of rows: the key and the number bound (`bounds`), so that one statement
    serves every page of its list."""
    if after:
        start = tuple_(*(bindparam(AFTER.format(i), type_=k.type) for i, k in enumerate(keys)))
        stmt = stmt.where(tuple_(*keys) < start if descending else tuple_(*keys) > start)
    order = [k.desc() if descending else k.asc() for k in keys]
    return stmt.order_by(*order).limit(bindparam(LIMIT, type_=Integer))


def bounds(page: PageSlice, keys: Sequence[Any]) -> dict[str, Any]:
    """The values of `ordered(stmt, keys, ...)` for `page`: a row more than the page holds
    (whether there is more), and the key it starts after."""
    values: dict[str, Any] = {LIMIT: page.limit + 1}
    if page.after is not None:
        if len(page.after) != len(keys):
            raise BadRequest("The cursor is not valid for this list; start again without it")
        values |= {AFTER.format(i): v for i, v in enumerate(page.after)}
    return values


def cut(
    rows: list[Any], keys: Sequence[InstrumentedAttribute[Any]], page: PageSlice
) -> tuple[list[Any], Key | None]:
    """The page of `rows` (fetched with `bounds`), and the key the next page starts after."""
    if len(rows) <= page.limit:
        return rows, None
    rows = rows[: page.limit]
    return rows, tuple(getattr(rows[-1], k.key) for k in keys)


def keyset(
    session: Session,
    stmt: Select[Any],
    keys: Sequence[InstrumentedAttribute[Any]],
    page: PageSlice,
    *,
    descending: bool = True,
    scalars: bool | None = None,
    params: Mapping[str, Any] | None = None,
) -> tuple[list[Any], Key | None]:
    """The page of `stmt` ordered by `keys` (the last unique), and the next page's start:
    instances of the model `stmt` selects, or rows when it selects columns (`scalars`, if
    given, says which); `params` binds what else `stmt` leaves to bind (its reader)."""
    if scalars is None:
        described = stmt.column_descriptions
        scalars = len(described) == 1 and isinstance(described[0]["expr"], type)
    values = bounds(page, keys) | dict(params or {})
    stmt = ordered(stmt, keys, after=page.after is not None, descending=descending)
    rows = list((session.scalars(stmt, values) if scalars else session.execute(stmt, values)).all())
    return cut(rows, keys, page)


def every(
    fetch: Callable[[PageSlice], tuple[list[Any], Key | None]], limit: int = 500
) -> Iterator[Any]:
    """Every row of a keyset list, page after page (the command line lists whole tables)."""
    after: Key | None = None
    while True:
        rows, after = fetch(PageSlice(limit, after))
        yield from rows
        if after is None:
            return


def equals(*pairs: tuple[Any, Any]) -> list[ColumnElement[bool]]:
    """`column == value` for each filter the caller gave (None: not filtered on)."""
    return [column == value for column, value in pairs if value is not None]
