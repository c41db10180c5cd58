"""The declarative base and the column types every model shares (UTC times, JSON documents)."""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic_core import from_json
from sqlalchemy import JSON, DateTime, MetaData, Text, TypeDecorator
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


# How far `utcnow` runs behind the real clock: zero, except inside `clock_from` below.
_shift: ContextVar[timedelta] = ContextVar("utcnow_shift", default=timedelta(0))


def utcnow() -> datetime:
    return datetime.now(UTC) + _shift.get()


@contextmanager
def clock_from(start: datetime) -> Iterator[None]:
    """Within the block, `utcnow` starts at `start` and runs on from there as time passes.

    Every timestamp the application writes (rows, audit records, change events, TAXII
    versions) comes from `utcnow`, so what is done in the block is dated `start` onwards,
    consistently everywhere: how the demo set tells its story in the months before today.
    """
    token = _shift.set(start - datetime.now(UTC))
    try:
        yield
    finally:
        _shift.reset(token)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on both databases (SQLite stores them naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


JSONDoc = JSON().with_variant(JSONB(), "postgresql")


class JSONRead(TypeDecorator[Any]):
    """A JSON document read as text and parsed by pydantic-core: what a page reads of many
    rows (`cast(column, JSONRead())`), where the drivers' standard-library parsing of each
    small document cost a page about 6 % (docs/architecture.md, "The read path at the
    limit")."""

    impl = Text
    cache_ok = True

    def process_result_value(self, value: str | None, dialect: Dialect) -> Any:
        return None if value is None else from_json(value)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSONDoc, list[Any]: JSONDoc}


class UUIDPk:
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)


class Timestamps:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Versioned:
    """Edited under optimistic locking: `version` is what `ETag` and `If-Match` carry, and the
    ORM bumps it on every update, so a write from a stale read fails."""

    version: Mapped[int] = mapped_column(default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]
