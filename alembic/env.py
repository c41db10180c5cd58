"""Migrations run on the engine handed in by the application, or on OVERSIGHT_DATABASE_URL."""

import re
from typing import Any

from alembic import context
from sqlalchemy import JSON

from oversight.config import get_settings
from oversight.db import UTCDateTime, make_engine
from oversight.models import Base


def render_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    """Render the project's column types by name, so migrations read cleanly."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        autogen_context.imports.add("from oversight.db import UTCDateTime")
        return "UTCDateTime()"
    if type_ == "type" and isinstance(obj, JSON):
        autogen_context.imports.add("from oversight.db import JSONDoc")
        return "JSONDoc"
    return False


# What migrations make by hand for one dialect, outside the models: the full-text search
# pieces (SQLite FTS5 tables and their shadow tables, PostgreSQL tsvector columns and their GIN
# indexes) and PostgreSQL's `audit_pending`, where a transaction's audit records wait for the
# trigger that links them at commit (migration 0006).
_HAND_MADE = re.compile(
    r"^(\w+_fts(_\w+)?|\w+_search|search_vector|ix_\w+_search_vector|audit_pending)$"
)


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    return not (reflected and compare_to is None and name and _HAND_MADE.match(name))


config = context.config
engine = config.attributes.get("engine") or make_engine(get_settings().database_url)

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        render_item=render_item,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
