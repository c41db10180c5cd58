"""Incident and near-miss reports, their recipient index tables and text search, and the
bulletin's link back to the report it was drafted from

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 05:16
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from oversight.db import JSONDoc, UTCDateTime

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Full-text search over the description, kept in sync by the database itself, as for
# bulletins (see the bulletins migration): SQLite a contentless FTS5 index whose rowids come
# from `report_search`, fed by triggers; PostgreSQL a generated tsvector and its GIN index.
SEARCH = {
    "sqlite": [
        "CREATE TABLE report_search ("
        "rowid INTEGER PRIMARY KEY, report_id CHAR(32) NOT NULL UNIQUE)",
        "CREATE VIRTUAL TABLE report_fts USING fts5("
        "description, content='', tokenize='porter unicode61 remove_diacritics 2')",
        "CREATE TRIGGER report_search_insert AFTER INSERT ON report BEGIN "
        "INSERT INTO report_search (report_id) VALUES (new.id); "
        "INSERT INTO report_fts (rowid, description) "
        "SELECT rowid, new.description FROM report_search WHERE report_id = new.id; END",
        "CREATE TRIGGER report_search_update AFTER UPDATE OF description ON report BEGIN "
        "INSERT INTO report_fts (report_fts, rowid, description) "
        "SELECT 'delete', rowid, old.description FROM report_search "
        "WHERE report_id = old.id; "
        "INSERT INTO report_fts (rowid, description) "
        "SELECT rowid, new.description FROM report_search WHERE report_id = new.id; END",
        "CREATE TRIGGER report_search_delete AFTER DELETE ON report BEGIN "
        "INSERT INTO report_fts (report_fts, rowid, description) "
        "SELECT 'delete', rowid, old.description FROM report_search "
        "WHERE report_id = old.id; "
        "DELETE FROM report_search WHERE report_id = old.id; END",
    ],
    "postgresql": [
        "ALTER TABLE report ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
        "to_tsvector('english'::regconfig, coalesce(description, ''))) STORED",
        "CREATE INDEX ix_report_search_vector ON report USING gin (search_vector)",
    ],
}
UNSEARCH = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS report_search_delete",
        "DROP TRIGGER IF EXISTS report_search_update",
        "DROP TRIGGER IF EXISTS report_search_insert",
        "DROP TABLE IF EXISTS report_fts",
        "DROP TABLE IF EXISTS report_search",
    ],
    "postgresql": [
        "DROP INDEX IF EXISTS ix_report_search_vector",
        "ALTER TABLE report DROP COLUMN IF EXISTS search_vector",
    ],
}


def upgrade() -> None:
    op.create_table(
        "report",
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("vector", sa.String(length=32), nullable=False),
        sa.Column("victim_type", sa.String(length=32), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("financial_loss_gbp", sa.Integer(), nullable=False),
        sa.Column("downtime_hours", sa.Double(), nullable=True),
        sa.Column("reported_to_action_fraud", sa.Boolean(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("anonymous_to_peers", sa.Boolean(), nullable=False),
        sa.Column("include_in_statistics", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("withdrawn_at", UTCDateTime(), nullable=True),
        sa.Column("withdrawal_reason", sa.Text(), nullable=True),
        sa.Column("bulletin_id", sa.Uuid(), nullable=True),
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
            ["agency_id"], ["agency.id"], name=op.f("fk_report_agency_id_agency")
        ),
        sa.ForeignKeyConstraint(
            ["bulletin_id"], ["bulletin.id"], name=op.f("fk_report_bulletin_id_bulletin")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report")),
    )
    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_report_agency_id"), ["agency_id"], unique=False)
        batch_op.create_index("ix_report_created", ["created_at", "id"], unique=False)
        batch_op.create_index("ix_report_occurred", ["occurred_on", "id"], unique=False)
        batch_op.create_index(
            "ix_report_statistics",
            [
                "status",
                "include_in_statistics",
                "occurred_on",
                "agency_id",
                "category",
                "vector",
                "victim_type",
                "outcome",
                "kind",
                "reported_to_action_fraud",
                "financial_loss_gbp",
            ],
            unique=False,
        )
        batch_op.create_index("ix_report_updated_at", ["updated_at"], unique=False)

    op.create_table(
        "report_recipient_agency",
        sa.Column("item_id", sa.Uuid(), nullable=False),
        sa.Column("agency_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agency.id"], name=op.f("fk_report_recipient_agency_agency_id_agency")
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["report.id"],
            name=op.f("fk_report_recipient_agency_item_id_report"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("item_id", "agency_id", name=op.f("pk_report_recipient_agency")),
    )
    with op.batch_alter_table("report_recipient_agency", schema=None) as batch_op:
        batch_op.create_index(
            "ix_report_recipient_agency_agency", ["agency_id", "item_id"], unique=False
        )

    op.create_table(
        "report_recipient_user",
        sa.Column("item_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["report.id"],
            name=op.f("fk_report_recipient_user_item_id_report"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_report_recipient_user_user_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("item_id", "user_id", name=op.f("pk_report_recipient_user")),
    )
    with op.batch_alter_table("report_recipient_user", schema=None) as batch_op:
        batch_op.create_index("ix_report_recipient_user_user", ["user_id", "item_id"], unique=False)

    # A plain ADD COLUMN: a batch rebuild of `bulletin` on SQLite would drop its search
    # triggers.
    op.add_column("bulletin", sa.Column("report_id", sa.Uuid(), nullable=True))
    for statement in SEARCH[op.get_bind().dialect.name]:
        op.execute(statement)


def downgrade() -> None:
    for statement in UNSEARCH[op.get_bind().dialect.name]:
        op.execute(statement)
    op.drop_column("bulletin", "report_id")

    with op.batch_alter_table("report_recipient_user", schema=None) as batch_op:
        batch_op.drop_index("ix_report_recipient_user_user")

    op.drop_table("report_recipient_user")
    with op.batch_alter_table("report_recipient_agency", schema=None) as batch_op:
        batch_op.drop_index("ix_report_recipient_agency_agency")

    op.drop_table("report_recipient_agency")
    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.drop_index("ix_report_updated_at")
        batch_op.drop_index("ix_report_statistics")
        batch_op.drop_index("ix_report_occurred")
        batch_op.drop_index("ix_report_created")
        batch_op.drop_index(batch_op.f("ix_report_agency_id"))

    op.drop_table("report")
