"""Every query of the TAXII collection.

Reads go through the bulletins' classified repository (looked up by resource, as actions
reach meetings): a version of a bulletin's object is read exactly when that bulletin is,
drafts aside; identities and marking definitions by every principal.
"""

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, false, or_, select, true, update
from sqlalchemy.orm import Session

from oversight.access.repository import ClassifiedRepository
from oversight.accounts.models import Agency
from oversight.auth.principal import Principal
from oversight.db.keyset import Key, PageSlice, keyset
from oversight.taxii.models import StixCollectionHead, StixObject, StixVersion

HEAD_ID = 1


# Writing.


def locked_head(session: Session) -> StixCollectionHead:
    stmt = select(StixCollectionHead).where(StixCollectionHead.id == HEAD_ID)
    head = session.scalars(stmt.with_for_update()).first()
    if head is None:
        head = StixCollectionHead(id=HEAD_ID, last_added=None)
        session.add(head)
        session.flush()
    return head


def live_object(session: Session, key: str) -> StixObject | None:
    stmt = select(StixObject).where(StixObject.key == key, StixObject.revoked.is_(False))
    return session.scalars(stmt).first()


def live_objects(session: Session, bulletin_id: uuid.UUID) -> list[StixObject]:
    stmt = select(StixObject).where(
        StixObject.bulletin_id == bulletin_id, StixObject.revoked.is_(False)
    )
    return list(session.scalars(stmt.order_by(StixObject.stix_type, StixObject.stix_id)))


def latest_body(session: Session, obj: StixObject) -> str:
    stmt = select(StixVersion.body).where(
        StixVersion.object_id == obj.id, StixVersion.is_latest.is_(True)
    )
    return str(session.scalars(stmt).one())


def supersede(session: Session, obj: StixObject) -> None:
    session.execute(
        update(StixVersion)
        .where(StixVersion.object_id == obj.id, StixVersion.is_latest.is_(True))
        .values(is_latest=False)
    )


def agency_name(session: Session, bulletin: Any) -> str:
    return str(session.scalars(select(Agency.name).where(Agency.id == bulletin.agency_id)).one())


def unfed(session: Session, model: type[Any]) -> list[Any]:
    """Published and withdrawn bulletins the collection has no object of (for the backfill)."""
    fed = select(StixObject.bulletin_id).where(StixObject.bulletin_id.is_not(None))
    stmt = (
        select(model)
        .where(model.status.in_(["published", "withdrawn"]), model.id.not_in(fed))
        .order_by(model.published_at, model.id)
    )
    return list(session.scalars(stmt))


# Reading.


@dataclass(slots=True)
class ObjectFilters:
    """The TAXII filters of an objects, manifest or versions request."""

    added_after: datetime | None = None
    ids: Sequence[str] = ()
    types: Sequence[str] = ()
    versions: Sequence[str] = ("last",)
    spec_versions: Sequence[str] = ()
    moments: Sequence[datetime] = field(default_factory=tuple)


class CollectionRepository:
    """The versions a principal may read, in the order they entered the collection."""

    def __init__(self, session: Session, principal: Principal) -> None:
        if principal is None:
            raise TypeError("the collection is read for a principal")
        self.session = session
        self.bulletins: ClassifiedRepository[Any] = ClassifiedRepository.of("bulletin")(
            session, principal
        )

    def _readable(self) -> ColumnElement[bool]:
        model = self.bulletins.model
        column, draft = model.__draft__
        shown = self.bulletins.base().where(
            model.id == StixVersion.bulletin_id, getattr(model, column) != draft
        )
        return or_(StixVersion.bulletin_id.is_(None), shown.exists())

    def base(self) -> Select[tuple[StixVersion]]:
        return select(StixVersion).where(self._readable())

    def page(
        self, f: ObjectFilters, page: PageSlice, *, bodies: bool = True
    ) -> tuple[list[Any], Key | None]:
        """Rows of the columns a TAXII answer needs (not ORM objects: a page holds up to
        1,000 stored objects, served as stored)."""
        columns = [*_LISTED, StixVersion.body] if bodies else _LISTED
        stmt = select(*columns).where(self._readable(), *_conditions(f))
        keys = [StixVersion.date_added]
        rows, last = keyset(self.session, stmt, keys, page, descending=False, scalars=False)
        self.record_reads(rows)
        return rows, last

    def exists(self, stix_id: str) -> bool:
        stmt = self.base().where(StixVersion.stix_id == stix_id).with_only_columns(StixVersion.id)
        return self.session.scalars(stmt.limit(1)).first() is not None

    def record_reads(self, rows: Iterable[Any]) -> None:
        """Classified reads on the record, once per bulletin a page shows (§9)."""
        ids = {r.bulletin_id for r in rows if r.bulletin_id is not None}
        if not ids:
            return
        model = self.bulletins.model
        # Looked up by primary key only: a TLP condition here let SQLite walk the TLP index
        # over every AMBER and RED bulletin (docs/architecture.md, "Against medallion, and at
        # scale"); `record_reads` keeps the audited TLPs.
        stmt = (
            self.bulletins.base()
            .where(model.id.in_(ids))
            .with_only_columns(model.id, model.tlp)
            .order_by(model.id)
        )
        self.bulletins.record_reads(self.session.execute(stmt).all())


_LISTED = [
    StixVersion.stix_id,
    StixVersion.bulletin_id,
    StixVersion.modified,
    StixVersion.date_added,
]


def _conditions(f: ObjectFilters) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = []
    if f.added_after is not None:
        conds.append(StixVersion.date_added > f.added_after)
    if f.ids:
        conds.append(StixVersion.stix_id.in_(list(f.ids)))
    if f.types:
        conds.append(StixVersion.stix_type.in_(list(f.types)))
    if f.spec_versions:
        conds.append(StixVersion.spec_version.in_(list(f.spec_versions)))
    which: list[ColumnElement[bool]] = []
    for v in f.versions:
        if v == "all":
            which.append(true())
        elif v == "last":
            which.append(StixVersion.is_latest.is_(True))
        elif v == "first":
            which.append(StixVersion.number == 1)
    if f.moments:
        which.append(StixVersion.modified.in_(list(f.moments)))
    conds.append(or_(*which) if which else false())
    return conds
