"""Engines and sessions for SQLite and PostgreSQL: how each database is spoken to."""

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker


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
