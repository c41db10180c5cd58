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


# Full-text search pieces that migrations make by hand for each dialect (SQLite FTS5 tables
# and their shadow tables, PostgreSQL tsvector columns and their GIN indexes).
_SEARCH_PIECES = re.compile(r"^(\w+_fts(_\w+)?|\w+_search|search_vector|ix_\w+_search_vector)$")
# The PostgreSQL staging table of the audit trail's append at commit (`audit/append.py`), made
# by hand in its migration and written with SQL only: no model declares it.
_HAND_MADE = {"audit_pending"}


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    hand_made = name in _HAND_MADE or (name and _SEARCH_PIECES.match(name))
    return not (reflected and compare_to is None and hand_made)


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
