"""Every query of bulletins, their revisions and acknowledgements.

Reads start from the classified base query (the caller's visibility), or, for the public
feed, from the public clause; text search uses the database's own full-text index.
"""

import json
import re
import uuid
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
    Uuid,
    cast,
    column,
    exists,
    false,
    func,
    literal,
    literal_column,
    select,
    table,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Session

from oversight.access.policy import public_clause
from oversight.access.repository import ClassifiedRepository
from oversight.bulletins.models import (
    Bulletin,
    BulletinAcknowledgement,
    BulletinRevision,
    BulletinStatus,
)
from oversight.db import UTCDateTime
from oversight.pagination import PageParams, decode_cursor, keyset_page

_WORD = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 16

# Maintained by the migration's triggers (SQLite) or generated column (PostgreSQL).
_fts = table("bulletin_fts", column("rowid"))
_search_map = table("bulletin_search", column("rowid"), column("bulletin_id"))
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
SEARCH_WALK_KEYS: list[Any] = [_search_order.c.created_at, _search_order.c.id]


def search_terms(q: str) -> list[str]:
    return _WORD.findall(q.lower())[:MAX_TERMS]


def text_search(dialect: str, q: str) -> ColumnElement[bool]:
    """SQL true for bulletins whose title, summary or body hold every word of `q`.

    SQLite: the FTS5 index `bulletin_fts` (porter stemming), mapped to bulletins by
    `bulletin_search`; PostgreSQL: the `search_vector` tsvector column and its GIN index.
    """
    terms = search_terms(q)
    if not terms:
        return false()
    if dialect == "postgresql":
        vector = literal_column("bulletin.search_vector")
        return vector.op("@@")(func.plainto_tsquery("english", " ".join(terms)))
    ids = select(_search_map.c.bulletin_id).where(_search_map.c.rowid.in_(_hits(terms)))
    return Bulletin.id.in_(ids)


# SQLite, a word found in many bulletins: the walk tests each entry against the set of matching
# full-text rowids, which SQLite builds before walking. Built from the whole index it costs the
# doclists of the query's words (a common one's holds a good part of the table): it grows with
# the table. So the walk keeps to a window of the list, its next W entries: their rowids, given
# at insert like created_at, span about W values, FTS5 seeks to that range of each doclist, and
# the set holds about W x matches / rows rowids, whatever the size of the table. Finding the
# window's range costs about 0.1 us an entry, walking it 0.25 us until the page is full.
# The first window holds SEARCH_WINDOW entries a row of the page (6528 for 50 rows, under a
# millisecond): it fills the page of a word found in one readable bulletin in 128. A window too
# short is read again four times as long (the failed attempts cost a third of the last); one
# that reaches the end of the list is the last.
SEARCH_WINDOW = 128


@dataclass(frozen=True, slots=True)
class SearchWindow:
    """Entries of the list: their full-text rowids' range and, when the list goes on past
    them, the created_at of the oldest (None: they end the list)."""

    lo: int | None
    hi: int | None
    oldest: datetime | None


def search_window(session: Session, since: datetime | None, size: int) -> SearchWindow:
    """The first `size` entries of the list created at or before `since` (the cursor's
    created_at: a cursor's few equals are taken too) or from the newest.

    One statement over `ix_bulletin_search_created` alone: min and max rowid over a LIMIT
    subquery (about 0.1 us an entry) and the oldest entry's created_at at OFFSET size - 1
    (skipping entries costs a tenth of that). An aggregate min(created_at) would cost as much
    again: read newest first, each entry is a new minimum, its text copied.
    """
    s = _search_order
    entries = select(s.c.rowid).order_by(*(k.desc() for k in SEARCH_WALK_KEYS))
    if since is not None:
        entries = entries.where(s.c.created_at <= since)
    w = entries.limit(size).subquery()
    oldest = entries.with_only_columns(s.c.created_at).offset(size - 1).limit(1)
    stmt = select(func.min(w.c.rowid), func.max(w.c.rowid), oldest.scalar_subquery())
    lo, hi, last = session.execute(stmt).one()
    return SearchWindow(lo, hi, last)


def search_walk(
    stmt: Select[tuple[Bulletin]], q: str, window: SearchWindow
) -> Select[tuple[Bulletin]]:
    """SQLite, many matches: `stmt` walking `window` of `bulletin_search` in list order.

    The walk reads `ix_bulletin_search_created` newest first and tests each full-text rowid
    against the window's matches (`rowid + 0`: a probe of the match set, not a lookup through
    it), fetching only matching bulletins for the policy; it stops at a full page. It keeps
    to entries newer than the window's oldest created_at: all in the window, whose rowids
    bound the matches it needs, whatever the order of rowids (the window's entries of that
    very created_at are left to a longer one). Page with SEARCH_WALK_KEYS, which sort exactly
    like the bulletin's (created_at, id).
    """
    s = _search_order
    hits = _hits(search_terms(q)).where(_fts.c.rowid.between(window.lo, window.hi))
    stmt = stmt.join(s, s.c.id == Bulletin.id).where((s.c.rowid + 0).in_(hits))
    return stmt if window.oldest is None else stmt.where(s.c.created_at > window.oldest)


def _hits(terms: list[str]) -> Select[tuple[int]]:
    return select(_fts.c.rowid).where(literal_column("bulletin_fts").op("MATCH")(_match(terms)))


def _match(terms: list[str]) -> str:
    return " ".join(f'"{t}"' for t in terms)


# When a first window does not fill the page: up to this many matches a search fetches them
# all and sorts them; beyond, it walks on and stops at a full page (about 50 x rows / matches
# rows). The two cost the same near sqrt(25 x rows): 5000 at a million bulletins.
WALK_FROM_MATCHES = 5000


def many_matches(session: Session, q: str) -> bool:
    """Whether `q` matches at least WALK_FROM_MATCHES bulletins (SQLite; counts up to it)."""
    terms = search_terms(q)
    if not terms:
        return False
    hits = (
        select(_fts.c.rowid)
        .where(literal_column("bulletin_fts").op("MATCH")(_match(terms)))
        .limit(WALK_FROM_MATCHES)
    )
    found = session.scalar(select(func.count()).select_from(hits.subquery())) or 0
    return found >= WALK_FROM_MATCHES


def sector_clause(dialect: str, sector: str) -> ColumnElement[bool]:
    """SQL true for bulletins whose `sectors` list holds `sector`."""
    if dialect == "postgresql":
        return Bulletin.sectors.op("@>")(cast(literal(json.dumps([sector])), JSONB))
    each = func.json_each(Bulletin.sectors).table_valued("value")
    return exists(select(1).select_from(each).where(each.c.value == sector))


@dataclass(slots=True)
class BulletinFilters:
    status: str | None = None
    tlp: str | None = None
    category: str | None = None
    severity: str | None = None
    agency_id: uuid.UUID | None = None
    sector: str | None = None
    q: str | None = None
    updated_after: datetime | None = None


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


class BulletinRepository(ClassifiedRepository[Bulletin]):
    model = Bulletin
    resource = "bulletin"

    def filtered(self, f: BulletinFilters, *, text: bool = True) -> Select[tuple[Bulletin]]:
        """The bulletins `f` selects; without `text`, leaving `q` to the caller (the walk)."""
        conds: list[ColumnElement[bool]] = []
        for name in ("status", "tlp", "category", "severity", "agency_id"):
            value = getattr(f, name)
            if value is not None:
                conds.append(getattr(Bulletin, name) == value)
        if f.updated_after is not None:
            conds.append(Bulletin.updated_at > f.updated_after)
        dialect = _dialect(self.session)
        if f.sector is not None:
            conds.append(sector_clause(dialect, f.sector))
        if f.q is not None and text:
            conds.append(text_search(dialect, f.q))
        return self.base().where(*conds)

    def search(self, params: PageParams, f: BulletinFilters) -> list[Bulletin]:
        """A page of the bulletins `f` selects.

        SQLite text search walks the list in windows first (see SEARCH_WINDOW): the first
        fills the page of a common word. Only when it does not is it worth counting the
        matches (up to WALK_FROM_MATCHES, a few ms at a million bulletins): few are fetched
        and sorted, many walked in longer windows.
        """
        if f.q is None or _dialect(self.session) != "sqlite" or not search_terms(f.q):
            return self.page(params, stmt=self.filtered(f))
        after = decode_cursor(params.request, params.cursor) if params.cursor else []
        since = after[0] if after and isinstance(after[0], datetime) else None
        stmt = self.filtered(f, text=False)
        first = size = SEARCH_WINDOW * (params.limit + 1)
        while True:
            window = search_window(self.session, since, size)
            walk = search_walk(stmt, f.q, window)
            rows: list[Bulletin] = keyset_page(self.session, walk, params, SEARCH_WALK_KEYS)
            if params.request.state.next_cursor is not None or window.oldest is None:
                break  # a full page, or the end of the list
            if size == first and not many_matches(self.session, f.q):
                return self.page(params, text_search("sqlite", f.q), stmt=stmt)
            size *= 4
        self.record_reads(rows)
        return rows

    # Revisions and acknowledgements are reached only through a bulletin the caller reads.

    def revisions(self, bulletin: Bulletin, params: PageParams) -> list[BulletinRevision]:
        stmt = select(BulletinRevision).where(BulletinRevision.bulletin_id == bulletin.id)
        return keyset_page(self.session, stmt, params, [BulletinRevision.number])

    def last_revision_number(self, bulletin: Bulletin) -> int:
        stmt = select(func.max(BulletinRevision.number)).where(
            BulletinRevision.bulletin_id == bulletin.id
        )
        return self.session.scalar(stmt) or 0

    def acknowledgements(
        self, bulletin: Bulletin, params: PageParams
    ) -> list[BulletinAcknowledgement]:
        stmt = select(BulletinAcknowledgement).where(
            BulletinAcknowledgement.bulletin_id == bulletin.id
        )
        keys = [BulletinAcknowledgement.acknowledged_at, BulletinAcknowledgement.id]
        return keyset_page(self.session, stmt, params, keys)

    def acknowledgement_of(
        self, bulletin: Bulletin, agency_id: uuid.UUID
    ) -> BulletinAcknowledgement | None:
        stmt = select(BulletinAcknowledgement).where(
            BulletinAcknowledgement.bulletin_id == bulletin.id,
            BulletinAcknowledgement.agency_id == agency_id,
        )
        return self.session.scalars(stmt).first()


class PublicBulletinRepository:
    """The feed anyone may read without logging in: published CLEAR bulletins."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def page(self, params: PageParams) -> list[Bulletin]:
        stmt = select(Bulletin).where(
            public_clause(Bulletin), Bulletin.status == BulletinStatus.published.value
        )
        return keyset_page(self.session, stmt, params, [Bulletin.created_at, Bulletin.id])
