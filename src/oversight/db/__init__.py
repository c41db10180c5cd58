"""Database concerns: the declarative base, engines, the unit of work, keyset reads,
optimistic versions, migrations and SQLite's checkpoints."""

from oversight.db.base import (
    Base,
    JSONDoc,
    Timestamps,
    UTCDateTime,
    UUIDPk,
    Versioned,
    clock_from,
    utcnow,
)
from oversight.db.engine import make_engine, make_sessionmaker, session_bind
from oversight.db.unit_of_work import RequestMeta, keep_on_rollback, unit_of_work

__all__ = [
    "Base",
    "JSONDoc",
    "RequestMeta",
    "Timestamps",
    "UTCDateTime",
    "UUIDPk",
    "Versioned",
    "clock_from",
    "keep_on_rollback",
    "make_engine",
    "make_sessionmaker",
    "session_bind",
    "unit_of_work",
    "utcnow",
]
