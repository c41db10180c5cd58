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
    ColumnElement,
    Select,
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
from oversight.pagination import PageParams, keyset_page

_WORD = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 16

# Maintained by the migration's triggers (SQLite) or generated column (PostgreSQL).
_fts = table("bulletin_fts", column("rowid"))
_search_map = table("bulletin_search", column("rowid"), column("bulletin_id"))


def search_terms(q: str) -> list[str]:
    return _WORD.findall(q.lower())[:MAX_TERMS]


def text_search(dialect: str, q: str, *, walk: bool = False) -> ColumnElement[bool]:
    """SQL true for bulletins whose title, summary or body hold every word of `q`.

    SQLite: the FTS5 index `bulletin_fts` (porter stemming), mapped to bulletins by
    `bulletin_search`; PostgreSQL: the `search_vector` tsvector column and its GIN index.
    On SQLite, `walk` tests each bulletin a page walks (newest first) against the matches
    instead of fetching and sorting every match: the plan for a word found in many of them.
    """
    terms = search_terms(q)
    if not terms:
        return false()
    if dialect == "postgresql":
        vector = literal_column("bulletin.search_vector")
        return vector.op("@@")(func.plainto_tsquery("english", " ".join(terms)))
    hits = select(_fts.c.rowid).where(literal_column("bulletin_fts").op("MATCH")(_match(terms)))
    if walk:
        return exists(
            select(1).where(_search_map.c.bulletin_id == Bulletin.id, _search_map.c.rowid.in_(hits))
        )
    ids = select(_search_map.c.bulletin_id).where(_search_map.c.rowid.in_(hits))
    return Bulletin.id.in_(ids)


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

    def filtered(self, f: BulletinFilters) -> Select[tuple[Bulletin]]:
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
        if f.q is not None:
            walk = dialect == "sqlite" and many_matches(self.session, f.q)
            conds.append(text_search(dialect, f.q, walk=walk))
        return self.base().where(*conds)

    def search(self, params: PageParams, f: BulletinFilters) -> list[Bulletin]:
        return self.page(params, stmt=self.filtered(f))

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
