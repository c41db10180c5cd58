"""Full-text search of bulletins: the database's own index, and on SQLite a walk of the list
in windows that keeps a frequent word as cheap at a million bulletins as at ten thousand.

Why the windows, and the figures behind their sizes: `docs/architecture.md`, "Bulletins at
scale". The sizes are a `SearchPlan`, a parameter, so the tests can force either plan.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Column,
    ColumnElement,
    Integer,
    MetaData,
    Select,
    Table,
    TableClause,
    Uuid,
    column,
    false,
    func,
    literal_column,
    select,
    table,
)
from sqlalchemy.orm import Session

from oversight.bulletins.models import Bulletin
from oversight.db import UTCDateTime
from oversight.db.keyset import Key, PageSlice, keyset

_WORD = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 16

# Maintained by the migration's triggers (SQLite) or generated column (PostgreSQL).
_fts = table("bulletin_fts", column("rowid"))
# The same table seen as a list in keyset order: its keys carry the names of the bulletin's
# (created_at, id), so cursors are read from the bulletins a page returns (own metadata: the
# migrations make it, not the models).
_search_order = Table(
    "bulletin_search",
    MetaData(),
    Column("rowid", Integer),
    Column("bulletin_id", Uuid, key="id"),
    Column("created_at", UTCDateTime),
)
WALK_KEYS: list[Any] = [_search_order.c.created_at, _search_order.c.id]


@dataclass(frozen=True, slots=True)
class SearchPlan:
    """SQLite's search sizes: a first window of `window_per_row` list entries per row of the
    page (a window too short is read again four times as long); when it does not fill the
    page, up to `walk_from_matches` matches are fetched and sorted, beyond that walked."""

    window_per_row: int = 128
    walk_from_matches: int = 5000


DEFAULT_PLAN = SearchPlan()


@dataclass(frozen=True, slots=True)
class SearchWindow:
    """Entries of the list: their full-text rowids' range and, when the list goes on past
    them, the created_at of the oldest (None: they end the list)."""

    lo: int | None
    hi: int | None
    oldest: datetime | None


def terms(q: str) -> list[str]:
    return _WORD.findall(q.lower())[:MAX_TERMS]


def text_matches(dialect: str, q: str, name: str, item_id: Any) -> ColumnElement[bool]:
    """SQL true for the items of table `name` (`item_id` their id) whose indexed text holds
    every word of `q`: on SQLite by the FTS5 index `<name>_fts` (porter stemming), mapped to
    the items by `<name>_search`; on PostgreSQL by the `search_vector` column's GIN index."""
    words = terms(q)
    if not words:
        return false()
    if dialect == "postgresql":
        vector = literal_column(f"{name}.search_vector")
        return vector.op("@@")(func.plainto_tsquery("english", " ".join(words)))
    fts = table(f"{name}_fts", column("rowid"))
    search_map = table(f"{name}_search", column("rowid"), column(f"{name}_id"))
    hits = search_map.c.rowid.in_(_hits(words, fts))
    ids = select(search_map.c[f"{name}_id"]).where(hits)
    return item_id.in_(ids)


def matches(dialect: str, q: str) -> ColumnElement[bool]:
    """SQL true for bulletins whose title, summary or body hold every word of `q`."""
    return text_matches(dialect, q, "bulletin", Bulletin.id)


def window(session: Session, since: datetime | None, size: int) -> SearchWindow:
    """The first `size` entries of the list created at or before `since` (the cursor's
    created_at: a cursor's few equals are taken too) or from the newest, in one statement
    over `ix_bulletin_search_created` alone."""
    s = _search_order
    entries = select(s.c.rowid).order_by(*(k.desc() for k in WALK_KEYS))
    if since is not None:
        entries = entries.where(s.c.created_at <= since)
    w = entries.limit(size).subquery()
    oldest = entries.with_only_columns(s.c.created_at).offset(size - 1).limit(1)
    stmt = select(func.min(w.c.rowid), func.max(w.c.rowid), oldest.scalar_subquery())
    lo, hi, last = session.execute(stmt).one()
    return SearchWindow(lo, hi, last)


def walk(stmt: Select[Any], q: str, w: SearchWindow) -> Select[Any]:
    """`stmt` walking window `w` of `bulletin_search` in list order, testing each full-text
    rowid against the window's matches (`rowid + 0`: a probe of the match set, not a lookup
    through it), and stopping at a full page; page with WALK_KEYS."""
    s = _search_order
    hits = _hits(terms(q)).where(_fts.c.rowid.between(w.lo, w.hi))
    stmt = stmt.join(s, s.c.id == Bulletin.id).where((s.c.rowid + 0).in_(hits))
    return stmt if w.oldest is None else stmt.where(s.c.created_at > w.oldest)


def many_matches(session: Session, q: str, plan: SearchPlan) -> bool:
    """Whether `q` matches at least `plan.walk_from_matches` bulletins (counts up to it)."""
    words = terms(q)
    if not words:
        return False
    hits = _hits(words).limit(plan.walk_from_matches)
    found = session.scalar(select(func.count()).select_from(hits.subquery())) or 0
    return found >= plan.walk_from_matches


def walk_pages(
    session: Session,
    stmt: Select[Any],
    q: str,
    page: PageSlice,
    plan: SearchPlan,
    params: Mapping[str, Any],
) -> tuple[list[Bulletin], Key | None] | None:
    """SQLite: the page by walking windows, or None when fetching every match and sorting
    them is the cheaper plan (the first window did not fill the page, and few match);
    `params` binds what `stmt` leaves to bind (its reader)."""
    since = page.after[0] if page.after and isinstance(page.after[0], datetime) else None
    first = size = plan.window_per_row * (page.limit + 1)
    while True:
        w = window(session, since, size)
        rows, last = keyset(session, walk(stmt, q, w), WALK_KEYS, page, params=params)
        if last is not None or w.oldest is None:
            return rows, last  # a full page, or the end of the list
        if size == first and not many_matches(session, q, plan):
            return None
        size *= 4


def _hits(words: list[str], fts: TableClause = _fts) -> Select[tuple[int]]:
    return select(fts.c.rowid).where(literal_column(fts.name).op("MATCH")(_match(words)))


def _match(words: list[str]) -> str:
    return " ".join(f'"{t}"' for t in words)
