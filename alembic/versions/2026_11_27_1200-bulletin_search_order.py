"""Bulletin search: a keyset-ordered search map on SQLite, tsvector kept in the row on PostgreSQL

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 12:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# SQLite only: `bulletin_search` (a bulletin's full-text rowid) also holds the bulletin's
# `created_at`, indexed with its id in list order, so a search for a frequent word walks that
# small covering index newest first and tests each full-text rowid against the matches without
# reading the bulletin; only matching bulletins are fetched and tested by the policy.
# PostgreSQL walks `ix_bulletin_created` testing each row's tsvector: stored out of line
# (TOAST, about 1 KB a bulletin), every test cost about four extra buffer reads; MAIN keeps it
# in the row (compressed if need be) and lets the longer text columns move out instead.
# Rows written before this migration keep their out-of-line vectors until rewritten.
ORDER = [
    "ALTER TABLE bulletin_search ADD COLUMN created_at DATETIME",
    "UPDATE bulletin_search SET created_at = "
    "(SELECT created_at FROM bulletin WHERE bulletin.id = bulletin_search.bulletin_id)",
    "CREATE INDEX ix_bulletin_search_created ON bulletin_search (created_at, bulletin_id)",
    "DROP TRIGGER bulletin_search_insert",
    "CREATE TRIGGER bulletin_search_insert AFTER INSERT ON bulletin BEGIN "
    "INSERT INTO bulletin_search (bulletin_id, created_at) VALUES (new.id, new.created_at); "
    "INSERT INTO bulletin_fts (rowid, title, summary, body) "
    "SELECT rowid, new.title, new.summary, new.body FROM bulletin_search "
    "WHERE bulletin_id = new.id; END",
    "CREATE TRIGGER bulletin_search_created AFTER UPDATE OF created_at ON bulletin BEGIN "
    "UPDATE bulletin_search SET created_at = new.created_at WHERE bulletin_id = new.id; END",
]
UNORDER = [
    "DROP TRIGGER IF EXISTS bulletin_search_created",
    "DROP TRIGGER IF EXISTS bulletin_search_insert",
    "CREATE TRIGGER bulletin_search_insert AFTER INSERT ON bulletin BEGIN "
    "INSERT INTO bulletin_search (bulletin_id) VALUES (new.id); "
    "INSERT INTO bulletin_fts (rowid, title, summary, body) "
    "SELECT rowid, new.title, new.summary, new.body FROM bulletin_search "
    "WHERE bulletin_id = new.id; END",
    "DROP INDEX IF EXISTS ix_bulletin_search_created",
    "ALTER TABLE bulletin_search DROP COLUMN created_at",
]


INLINE = "ALTER TABLE bulletin ALTER COLUMN search_vector SET STORAGE MAIN"
OUT_OF_LINE = "ALTER TABLE bulletin ALTER COLUMN search_vector SET STORAGE EXTENDED"


def upgrade() -> None:
    statements = {"sqlite": ORDER, "postgresql": [INLINE]}
    for statement in statements.get(op.get_bind().dialect.name, []):
        op.execute(statement)


def downgrade() -> None:
    statements = {"sqlite": UNORDER, "postgresql": [OUT_OF_LINE]}
    for statement in statements.get(op.get_bind().dialect.name, []):
        op.execute(statement)
