"""Threat bulletins, their recipient index tables, revisions, acknowledgements and text search

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 10:25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from oversight.db import JSONDoc, UTCDateTime

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Full-text search over title, summary and body, kept in sync by the database itself.
# SQLite: a contentless FTS5 index whose rowids come from `bulletin_search` (a stable integer
# per bulletin: the implicit rowid of `bulletin` may change on VACUUM), fed by triggers.
# A later migration that rebuilds `bulletin` in batch mode on SQLite must recreate them.
SEARCH = {
    "sqlite": [
        "CREATE TABLE bulletin_search ("
        "rowid INTEGER PRIMARY KEY, bulletin_id CHAR(32) NOT NULL UNIQUE)",
        "CREATE VIRTUAL TABLE bulletin_fts USING fts5("
        "title, summary, body, content='', "
        "tokenize='porter unicode61 remove_diacritics 2')",
        "CREATE TRIGGER bulletin_search_insert AFTER INSERT ON bulletin BEGIN "
        "INSERT INTO bulletin_search (bulletin_id) VALUES (new.id); "
        "INSERT INTO bulletin_fts (rowid, title, summary, body) "
        "SELECT rowid, new.title, new.summary, new.body FROM bulletin_search "
        "WHERE bulletin_id = new.id; END",
        "CREATE TRIGGER bulletin_search_update AFTER UPDATE OF title, summary, body ON bulletin "
        "BEGIN "
        "INSERT INTO bulletin_fts (bulletin_fts, rowid, title, summary, body) "
        "SELECT 'delete', rowid, old.title, old.summary, old.body FROM bulletin_search "
        "WHERE bulletin_id = old.id; "
        "INSERT INTO bulletin_fts (rowid, title, summary, body) "
        "SELECT rowid, new.title, new.summary, new.body FROM bulletin_search "
        "WHERE bulletin_id = new.id; END",
        "CREATE TRIGGER bulletin_search_delete AFTER DELETE ON bulletin BEGIN "
        "INSERT INTO bulletin_fts (bulletin_fts, rowid, title, summary, body) "
        "SELECT 'delete', rowid, old.title, old.summary, old.body FROM bulletin_search "
        "WHERE bulletin_id = old.id; "
        "DELETE FROM bulletin_search WHERE bulletin_id = old.id; END",
    ],
    "postgresql": [
        "ALTER TABLE bulletin ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
        "setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A') || "
        "setweight(to_tsvector('english'::regconfig, coalesce(summary, '')), 'B') || "
        "setweight(to_tsvector('english'::regconfig, coalesce(body, '')), 'C')) STORED",
        "CREATE INDEX ix_bulletin_search_vector ON bulletin USING gin (search_vector)",
    ],
}
UNSEARCH = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS bulletin_search_delete",
        "DROP TRIGGER IF EXISTS bulletin_search_update",
        "DROP TRIGGER IF EXISTS bulletin_search_insert",
        "DROP TABLE IF EXISTS bulletin_fts",
        "DROP TABLE IF EXISTS bulletin_search",
    ],
    "postgresql": [
        "DROP INDEX IF EXISTS ix_bulletin_search_vector",
        "ALTER TABLE bulletin DROP COLUMN IF EXISTS search_vector",
    ],
}


def upgrade() -> None:
    op.create_table(
        "bulletin",
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("severity", sa.String(length=16), nullable=False),
        sa.Column("sectors", JSONDoc, nullable=False),
        sa.Column("indicators", JSONDoc, nullable=False),
        sa.Column("recommended_actions", JSONDoc, nullable=False),
        sa.Column("references", JSONDoc, nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("published_at", UTCDateTime(), nullable=True),
        sa.Column("review_by", sa.Date(), nullable=True),
        sa.Column("withdrawn_at", UTCDateTime(), nullable=True),
        sa.Column("withdrawal_reason", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("agency_id", sa.Uuid(), nullable=False),
        sa.Column("author_id", sa.Uuid(), nullable=True),
        sa.Column("tlp", sa.String(length=16), nullable=False),
        sa.Column("protective_marking", sa.String(length=32), nullable=False),
        sa.Column("recipient_agencies", JSONDoc, nullable=False),
        sa.Column("recipient_users", JSONDoc, nullable=False),
        sa.Column("names_agencies", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agency.id"], name=op.f("fk_bulletin_agency_id_agency")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bulletin")),
    )
    with op.batch_alter_table("bulletin", schema=None) as batch_op:
        batch_op.create_index(
            "ix_bulletin_agency_created", ["agency_id", "created_at", "id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_bulletin_agency_id"), ["agency_id"], unique=False)
        batch_op.create_index(
            "ix_bulletin_category_created", ["category", "created_at", "id"], unique=False
        )
        batch_op.create_index("ix_bulletin_created", ["created_at", "id"], unique=False)
        batch_op.create_index(
            "ix_bulletin_status_created", ["status", "created_at", "id"], unique=False
        )
        batch_op.create_index("ix_bulletin_tlp_created", ["tlp", "created_at", "id"], unique=False)
        batch_op.create_index("ix_bulletin_updated_at", ["updated_at"], unique=False)

    op.create_table(
        "bulletin_acknowledgement",
        sa.Column("bulletin_id", sa.Uuid(), nullable=False),
        sa.Column("agency_id", sa.Uuid(), nullable=False),
        sa.Column("acknowledged_by", sa.Uuid(), nullable=False),
        sa.Column("acknowledged_by_kind", sa.String(length=16), nullable=False),
        sa.Column("acknowledged_at", UTCDateTime(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agency.id"], name=op.f("fk_bulletin_acknowledgement_agency_id_agency")
        ),
        sa.ForeignKeyConstraint(
            ["bulletin_id"],
            ["bulletin.id"],
            name=op.f("fk_bulletin_acknowledgement_bulletin_id_bulletin"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bulletin_acknowledgement")),
        sa.UniqueConstraint(
            "bulletin_id",
            "agency_id",
            name=op.f("uq_bulletin_acknowledgement_bulletin_id_agency_id"),
        ),
    )
    op.create_table(
        "bulletin_recipient_agency",
        sa.Column("item_id", sa.Uuid(), nullable=False),
        sa.Column("agency_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agency.id"], name=op.f("fk_bulletin_recipient_agency_agency_id_agency")
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["bulletin.id"],
            name=op.f("fk_bulletin_recipient_agency_item_id_bulletin"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("item_id", "agency_id", name=op.f("pk_bulletin_recipient_agency")),
    )
    with op.batch_alter_table("bulletin_recipient_agency", schema=None) as batch_op:
        batch_op.create_index(
            "ix_bulletin_recipient_agency_agency", ["agency_id", "item_id"], unique=False
        )

    op.create_table(
        "bulletin_recipient_user",
        sa.Column("item_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["bulletin.id"],
            name=op.f("fk_bulletin_recipient_user_item_id_bulletin"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_bulletin_recipient_user_user_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("item_id", "user_id", name=op.f("pk_bulletin_recipient_user")),
    )
    with op.batch_alter_table("bulletin_recipient_user", schema=None) as batch_op:
        batch_op.create_index(
            "ix_bulletin_recipient_user_user", ["user_id", "item_id"], unique=False
        )

    op.create_table(
        "bulletin_revision",
        sa.Column("bulletin_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("bulletin_version", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("severity", sa.String(length=16), nullable=False),
        sa.Column("sectors", JSONDoc, nullable=False),
        sa.Column("indicators", JSONDoc, nullable=False),
        sa.Column("recommended_actions", JSONDoc, nullable=False),
        sa.Column("references", JSONDoc, nullable=False),
        sa.Column("changed_fields", JSONDoc, nullable=False),
        sa.Column("editor_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["bulletin_id"],
            ["bulletin.id"],
            name=op.f("fk_bulletin_revision_bulletin_id_bulletin"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bulletin_revision")),
        sa.UniqueConstraint(
            "bulletin_id", "number", name=op.f("uq_bulletin_revision_bulletin_id_number")
        ),
    )
    for statement in SEARCH.get(op.get_bind().dialect.name, []):
        op.execute(statement)


def downgrade() -> None:
    for statement in UNSEARCH.get(op.get_bind().dialect.name, []):
        op.execute(statement)
    op.drop_table("bulletin_revision")
    with op.batch_alter_table("bulletin_recipient_user", schema=None) as batch_op:
        batch_op.drop_index("ix_bulletin_recipient_user_user")

    op.drop_table("bulletin_recipient_user")
    with op.batch_alter_table("bulletin_recipient_agency", schema=None) as batch_op:
        batch_op.drop_index("ix_bulletin_recipient_agency_agency")

    op.drop_table("bulletin_recipient_agency")
    op.drop_table("bulletin_acknowledgement")
    with op.batch_alter_table("bulletin", schema=None) as batch_op:
        batch_op.drop_index("ix_bulletin_updated_at")
        batch_op.drop_index("ix_bulletin_tlp_created")
        batch_op.drop_index("ix_bulletin_status_created")
        batch_op.drop_index("ix_bulletin_created")
        batch_op.drop_index("ix_bulletin_category_created")
        batch_op.drop_index(batch_op.f("ix_bulletin_agency_id"))
        batch_op.drop_index("ix_bulletin_agency_created")

    op.drop_table("bulletin")
