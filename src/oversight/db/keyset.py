"""Keyset reads: one page of a query in key order, and the key to go on from; list filters.

Pure: no request, no cursor. A page asks for `limit + 1` rows; the extra one only says that
there is more (as Polar's `paginate` does), and the last key of the page is where the next
one starts. The web side turns that key into a signed cursor (`web.paging`).
"""

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, tuple_
from sqlalchemy.orm import InstrumentedAttribute, Session

from oversight.errors import BadRequest

Key = tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class PageSlice:
    """Which page: at most `limit` rows after `after` (None: from the start)."""

    limit: int
    after: Key | None = None


def keyset(
    session: Session,
    stmt: Select[Any],
    keys: Sequence[InstrumentedAttribute[Any]],
    page: PageSlice,
    *,
    descending: bool = True,
    scalars: bool | None = None,
) -> tuple[list[Any], Key | None]:
    """The page of `stmt` ordered by `keys` (the last unique), and the next page's start:
    instances of the model `stmt` selects, or rows when it selects columns (`scalars`, if
    given, says which)."""
    if scalars is None:
        described = stmt.column_descriptions
        scalars = len(described) == 1 and isinstance(described[0]["expr"], type)
    if page.after is not None:
        if len(page.after) != len(keys):
            raise BadRequest("The cursor is not valid for this list; start again without it")
        newer = tuple_(*keys) < tuple_(*page.after)
        stmt = stmt.where(newer if descending else tuple_(*keys) > tuple_(*page.after))
    order = [k.desc() if descending else k.asc() for k in keys]
    stmt = stmt.order_by(*order).limit(page.limit + 1)
    rows = list((session.scalars(stmt) if scalars else session.execute(stmt)).all())
    if len(rows) <= page.limit:
        return rows, None
    rows = rows[: page.limit]
    return rows, tuple(getattr(rows[-1], k.key) for k in keys)


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
