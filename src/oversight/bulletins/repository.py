"""Every query of bulletins, their revisions and acknowledgements.

Reads start from the classified base query (the caller's visibility), or, for the public
feed, from the public clause; text search uses the database's own full-text index.
"""

import json
import re
import uuid
from dataclasses import dataclass
from datetime import datetime

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
from oversight.pagination import PageParams, keyset_page

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


def search_walk(stmt: Select[tuple[Bulletin]], q: str) -> Select[tuple[Bulletin]]:
    """SQLite, a word found in many bulletins: `stmt` walking `bulletin_search` in list order.

    The walk reads `ix_bulletin_search_created` newest first and tests each full-text rowid
    against the matches (`rowid + 0`: a probe of the match set, not a lookup through it),
    fetching only matching bulletins for the policy; it stops at a full page. Page with
    SEARCH_WALK_KEYS, which sort exactly like the bulletin's (created_at, id).
    """
    s = _search_order
    return stmt.join(s, s.c.id == Bulletin.id).where(
        (s.c.rowid + 0).in_(_hits(search_terms(q)))
    )


SEARCH_WALK_KEYS = [_search_order.c.created_at, _search_order.c.id]


def _hits(terms: list[str]) -> Select[tuple[int]]:
    return select(_fts.c.rowid).where(literal_column("bulletin_fts").op("MATCH")(_match(terms)))


def _match(terms: list[str]) -> str:
    return " ".join(f'"{t}"' for t in terms)


# Up to this many matches a search fetches them all and sorts them; beyond, it walks the list
# in order and stops at a full page (about 50 x rows / matches rows). The two cost the same
# near sqrt(25 x rows): 5000 at a million bulletins.
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

    def filtered(self, f: BulletinFilters, *, walk: bool = False) -> Select[tuple[Bulletin]]:
        """The bulletins `f` selects; `walk` (SQLite) searches with `search_walk`."""
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
        if f.q is not None and not walk:
            conds.append(text_search(dialect, f.q))
        stmt = self.base().where(*conds)
        return search_walk(stmt, f.q) if f.q is not None and walk else stmt

    def search(self, params: PageParams, f: BulletinFilters) -> list[Bulletin]:
        walk = (
            f.q is not None
            and _dialect(self.session) == "sqlite"
            and many_matches(self.session, f.q)
        )
        stmt = self.filtered(f, walk=walk)
        keys = SEARCH_WALK_KEYS if walk else None
        return self.page(params, stmt=stmt, keys=keys)  # type: ignore[arg-type]

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
