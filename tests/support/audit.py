"""Shared by the audit tests: reading the trail, and lifting the append-only guard."""

import importlib.util
import json
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select, text
from sqlalchemy.orm import Session

from oversight.audit.models import AuditRecord

MIGRATION = (
    Path(__file__).resolve().parents[2]
    / "alembic"
    / "versions"
    / "2026_11_27_1016-identity_auth_audit.py"
)


def records(session: Session, **where: Any) -> list[AuditRecord]:
    stmt = select(AuditRecord).order_by(AuditRecord.seq)
    for key, value in where.items():
        stmt = stmt.where(getattr(AuditRecord, key) == value)
    return list(session.scalars(stmt))


def as_json(rec: AuditRecord) -> str:
    """Everything a record holds, as one string to search for secrets."""
    cols = [c.key for c in AuditRecord.__table__.columns]
    return json.dumps({c: getattr(rec, c) for c in cols}, default=str, ensure_ascii=False)


def _append_only_sql(dialect: str) -> list[str]:
    spec = importlib.util.spec_from_file_location("first_migration", MIGRATION)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return list(module.APPEND_ONLY[dialect])


def drop_append_only(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(text("DROP FUNCTION audit_record_append_only() CASCADE"))
    else:
        conn.execute(text("DROP TRIGGER audit_record_no_update"))
        conn.execute(text("DROP TRIGGER audit_record_no_delete"))


def restore_append_only(conn: Connection) -> None:
    """Recreate the guard exactly as the migration does."""
    for sql in _append_only_sql(conn.dialect.name):
        conn.execute(text(sql))
