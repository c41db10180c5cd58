"""Every query of bulletins, their revisions and acknowledgements.

Reads start from the classified base query (the caller's visibility), or, for the public
feed, from the public one; text search is `bulletins.search`.
"""

import json
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, cast, exists, func, literal, select
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Session

from oversight.access.repository import ClassifiedRepository, PublicRepository
from oversight.bulletins import search
from oversight.bulletins.models import (
    Bulletin,
    BulletinAcknowledgement,
    BulletinRevision,
    BulletinStatus,
)
from oversight.bulletins.schemas import BulletinFilters
from oversight.bulletins.search import DEFAULT_PLAN, SearchPlan
from oversight.db.keyset import Key, PageSlice, equals, keyset


def sector_clause(dialect: str, sector: str) -> ColumnElement[bool]:
    """SQL true for bulletins whose `sectors` list holds `sector`."""
    if dialect == "postgresql":
        return Bulletin.sectors.op("@>")(cast(literal(json.dumps([sector])), JSONB))
    each = func.json_each(Bulletin.sectors).table_valued("value")
    return exists(select(1).select_from(each).where(each.c.value == sector))


class BulletinRepository(ClassifiedRepository[Bulletin]):
    model = Bulletin
    resource = "bulletin"

    def _filtered(self, f: BulletinFilters, *, text: bool = True) -> list[ColumnElement[bool]]:
        exact = ("status", "tlp", "category", "severity", "agency_id")
        conds = equals(*((getattr(Bulletin, name), getattr(f, name)) for name in exact))
        if f.updated_after is not None:
            conds.append(Bulletin.updated_at > f.updated_after)
        dialect = _dialect(self.session)
        if f.sector is not None:
            conds.append(sector_clause(dialect, f.sector))
        if f.q is not None and text:
            conds.append(search.matches(dialect, f.q))
        return conds

    def listing(
        self,
        f: BulletinFilters,
        page: PageSlice,
        plan: SearchPlan = DEFAULT_PLAN,
        base: Select[Any] | None = None,
    ) -> tuple[list[Any], Key | None]:
        """A page of the bulletins `f` selects, newest first, of `base()` or of `base` (the
        same rows, other columns: what a page of stored representations reads).

        SQLite text search walks the list in windows first; only when the first does not
        fill the page and few bulletins match are the matches fetched and sorted.
        """
        base = self.base() if base is None else base
        if f.q is None or _dialect(self.session) != "sqlite" or not search.terms(f.q):
            return self.page(page, *self._filtered(f), stmt=base)
        stmt = base.where(*self._filtered(f, text=False))
        walked = search.walk_pages(self.session, stmt, f.q, page, plan, self.reader())
        if walked is None:
            return self.page(page, search.matches("sqlite", f.q), stmt=stmt)
        self.record_reads(walked[0])
        return walked

    def headlines(
        self, start: datetime, end: datetime, page: PageSlice
    ) -> tuple[list[Bulletin], Key | None]:
        """A page of the bulletins published within [start, end] loading only what a summary
        shows."""
        b = Bulletin
        stmt = self.slim(b.title, b.category, b.severity, b.published_at)
        published = b.status == BulletinStatus.published
        return self.page(page, published, b.published_at >= start, b.published_at <= end, stmt=stmt)

    # Revisions and acknowledgements are reached only through a bulletin the caller reads.

    def revisions(
        self, bulletin: Bulletin, page: PageSlice
    ) -> tuple[list[BulletinRevision], Key | None]:
        stmt = select(BulletinRevision).where(BulletinRevision.bulletin_id == bulletin.id)
        return keyset(self.session, stmt, [BulletinRevision.number], page)

    def last_revision_number(self, bulletin: Bulletin) -> int:
        stmt = select(func.max(BulletinRevision.number)).where(
            BulletinRevision.bulletin_id == bulletin.id
        )
        return self.session.scalar(stmt) or 0

    def acknowledgements(
        self, bulletin: Bulletin, page: PageSlice
    ) -> tuple[list[BulletinAcknowledgement], Key | None]:
        stmt = select(BulletinAcknowledgement).where(
            BulletinAcknowledgement.bulletin_id == bulletin.id
        )
        keys = [BulletinAcknowledgement.acknowledged_at, BulletinAcknowledgement.id]
        return keyset(self.session, stmt, keys, page)

    def acknowledgement_of(
        self, bulletin: Bulletin, agency_id: uuid.UUID
    ) -> BulletinAcknowledgement | None:
        stmt = select(BulletinAcknowledgement).where(
            BulletinAcknowledgement.bulletin_id == bulletin.id,
            BulletinAcknowledgement.agency_id == agency_id,
        )
        return self.session.scalars(stmt).first()


class PublicBulletinRepository(PublicRepository[Bulletin]):
    """The feed anyone may read without logging in: published CLEAR bulletins."""

    model = Bulletin

    def listing(self, page: PageSlice) -> tuple[list[Bulletin], Key | None]:
        stmt = self.base().where(Bulletin.status == BulletinStatus.published.value)
        return keyset(self.session, stmt, [Bulletin.created_at, Bulletin.id], page)


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name
