"""Engine, declarative Base and the per-request session: the only place that commits."""

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import JSON, DateTime, Engine, MetaData, TypeDecorator, create_engine, event
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect, make_url
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

from oversight.admission import admitted

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


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


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSONDoc, list[Any]: JSONDoc}


class UUIDPk:
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)


class Timestamps:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


def make_engine(url: str, **kw: Any) -> Engine:
    if url.startswith("sqlite"):
        # SQLite serializes writers on its lock; the default pool suits every file or memory
        # database, so pool sizing applies to server databases only.
        kw.pop("pool_size", None)
        kw.pop("max_overflow", None)
        path = make_url(url).database
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 30},
            hide_parameters=True,
            **kw,
        )
        _configure_sqlite(engine)
        return engine
    kw.setdefault("pool_size", 10)
    kw.setdefault("max_overflow", 20)
    # hide_parameters: an error logged with its statement never shows the values bound to it
    # (a password hash, a bulletin's body).
    return create_engine(url, pool_pre_ping=True, hide_parameters=True, **kw)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # The driver's own transaction handling is off; we say BEGIN ourselves, IMMEDIATE for
        # sessions, so a session holds SQLite's write lock from its start and never fails to
        # upgrade a read into a write (plain reads such as /readyz stay deferred).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql(f"BEGIN {conn.get_execution_options().get('sqlite_begin', '')}")


def session_bind(engine: Engine) -> Engine:
    """What sessions run on: on SQLite their transactions take the write lock up front."""
    if engine.dialect.name == "sqlite":
        return engine.execution_options(sqlite_begin="IMMEDIATE")
    return engine


def make_sessionmaker(engine: Engine) -> "sessionmaker[Session]":
    return sessionmaker(session_bind(engine), expire_on_commit=False)


@dataclass(frozen=True, slots=True)
class RequestMeta:
    """Where an act came from, as the audit trail records it."""

    request_id: str | None = None
    ip: str | None = None
    user_agent: str | None = None


def request_meta(request: Request) -> RequestMeta:
    ua = request.headers.get("user-agent")
    return RequestMeta(
        request_id=getattr(request.state, "request_id", None),
        ip=request.client.host if request.client else None,
        user_agent=ua[:512] if ua else None,
    )


KEPT = "kept_on_rollback"
Kept = Callable[[Session], None]


def keep_on_rollback(session: Session, write: Kept) -> None:
    """Make `write` happen whatever becomes of the transaction.

    For what must outlive the failure it describes: a refused login, a denied request, a
    reused refresh token. On commit `write` runs in the transaction; on rollback it runs in
    a fresh one right after, which is then committed.
    """
    session.info.setdefault(KEPT, []).append(write)


def _run_kept(session: Session) -> bool:
    kept: list[Kept] = session.info.pop(KEPT, [])
    for write in kept:
        write(session)
    return bool(kept)


@contextmanager
def unit_of_work(
    factory: "sessionmaker[Session]", *, meta: RequestMeta | None = None, actor: Any = None
) -> Iterator[Session]:
    """One transaction: committed when the block ends, rolled back when it raises.

    The API (a request) and the command line (a command) both run inside one of these, so
    what is kept on rollback is kept the same way for both.
    """
    session = factory()
    if meta is not None:
        session.info["request"] = meta
    if actor is not None:
        session.info["actor"] = actor
    try:
        yield session
        _run_kept(session)
        session.commit()
    except BaseException:
        session.rollback()
        if _run_kept(session):
            session.commit()
        raise
    finally:
        session.close()


def get_session(
    request: Request, _slot: Annotated[None, Depends(admitted, scope="function")]
) -> Iterator[Session]:
    """One session per request, in a database slot; commits when the endpoint returns."""
    with unit_of_work(request.app.state.sessionmaker, meta=request_meta(request)) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session, scope="function")]
