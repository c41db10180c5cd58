"""The TAXII collection's STIX objects: ids stored once, and every version as served."""

import uuid
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from oversight.db import Base, UUIDPk


class StixObject(UUIDPk, Base):
    """One STIX object of the collection: its id, drawn at random once and kept.

    `key` says what it stands for (a digest of, say, a bulletin id and one indicator), so an
    edit finds the object again; the STIX id itself is never derived from content.
    """

    __tablename__ = "stix_object"

    stix_id: Mapped[str] = mapped_column(String(100), unique=True)
    stix_type: Mapped[str] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(64), index=True)
    bulletin_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("bulletin.id", ondelete="CASCADE"), index=True
    )
    created: Mapped[datetime]
    modified: Mapped[datetime]
    # Digest of the latest version without its timestamps: an unchanged object gets no version.
    digest: Mapped[str] = mapped_column(String(64))
    versions: Mapped[int] = mapped_column(default=0)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class StixVersion(UUIDPk, Base):
    """One version of a STIX object as the collection serves it, built once when written.

    `date_added` is unique and strictly increasing in the collection (see `feed.moments`),
    so `added_after` pages neither skip nor repeat a version. Versions of a bulletin's objects
    are read under that bulletin's classification; identities and marking definitions, which
    say nothing a principal cannot read elsewhere, under none.
    """

    __tablename__ = "stix_version"

    object_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stix_object.id", ondelete="CASCADE"))
    stix_id: Mapped[str] = mapped_column(String(100))
    stix_type: Mapped[str] = mapped_column(String(40))
    bulletin_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("bulletin.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int]
    modified: Mapped[datetime]
    date_added: Mapped[datetime] = mapped_column(unique=True)
    is_latest: Mapped[bool] = mapped_column(Boolean, default=True)
    spec_version: Mapped[str] = mapped_column(String(8), default="2.1")
    body: Mapped[str] = mapped_column(Text)

    __table_args__ = (
        Index("ix_stix_version_stix_id_added", "stix_id", "date_added"),
        Index("ix_stix_version_latest_added", "is_latest", "date_added"),
    )


class StixCollectionHead(Base):
    """The single row that orders additions: the last `date_added` handed out, locked by
    each writer (FOR UPDATE on PostgreSQL; SQLite has one writer at a time)."""

    __tablename__ = "stix_collection_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    last_added: Mapped[datetime | None]
