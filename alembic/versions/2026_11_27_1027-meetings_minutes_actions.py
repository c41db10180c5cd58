"""Meetings, their minutes (one row per version), action items and their progress log

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 10:27:07.683264
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from oversight.db import JSONDoc, UTCDateTime

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The progress log of an action is append-only in the database itself, like the audit trail.
APPEND_ONLY = {
    "sqlite": [
        "CREATE TRIGGER action_update_no_update BEFORE UPDATE ON action_update "
        "BEGIN SELECT RAISE(ABORT, 'the progress log of an action is append-only'); END",
        "CREATE TRIGGER action_update_no_delete BEFORE DELETE ON action_update "
        "BEGIN SELECT RAISE(ABORT, 'the progress log of an action is append-only'); END",
    ],
    "postgresql": [
        "CREATE FUNCTION action_update_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN RAISE EXCEPTION 'the progress log of an action is append-only'; END $$",
        "CREATE TRIGGER action_update_no_change BEFORE UPDATE OR DELETE ON action_update "
        "FOR EACH ROW EXECUTE FUNCTION action_update_append_only()",
    ],
}
DROP_APPEND_ONLY = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS action_update_no_delete",
        "DROP TRIGGER IF EXISTS action_update_no_update",
    ],
    "postgresql": [
        "DROP TRIGGER IF EXISTS action_update_no_change ON action_update",
        "DROP FUNCTION IF EXISTS action_update_append_only()",
    ],
}


def upgrade() -> None:
    op.create_table(
        "meeting",
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("held_at", UTCDateTime(), nullable=False),
        sa.Column("location", sa.String(length=300), nullable=True),
        sa.Column("chair_user_id", sa.Uuid(), nullable=True),
        sa.Column("agenda", JSONDoc, nullable=False),
        sa.Column("attendance", JSONDoc, nullable=False),
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
            ["agency_id"], ["agency.id"], name=op.f("fk_meeting_agency_id_agency")
        ),
        sa.ForeignKeyConstraint(
            ["chair_user_id"],
            ["user_account.id"],
            name=op.f("fk_meeting_chair_user_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting")),
    )
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meeting_agency_id"), ["agency_id"], unique=False)
        batch_op.create_index("ix_meeting_held_at_id", ["held_at", "id"], unique=False)

    op.create_table(
        "action_item",
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("meeting_id", sa.Uuid(), nullable=True),
        sa.Column("bulletin_id", sa.Uuid(), nullable=True),
        sa.Column("owner_agency_id", sa.Uuid(), nullable=False),
        sa.Column("assignee_user_id", sa.Uuid(), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("priority", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("closed_at", UTCDateTime(), nullable=True),
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
            ["agency_id"], ["agency.id"], name=op.f("fk_action_item_agency_id_agency")
        ),
        sa.ForeignKeyConstraint(
            ["assignee_user_id"],
            ["user_account.id"],
            name=op.f("fk_action_item_assignee_user_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["bulletin_id"], ["bulletin.id"], name=op.f("fk_action_item_bulletin_id_bulletin")
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meeting.id"], name=op.f("fk_action_item_meeting_id_meeting")
        ),
        sa.ForeignKeyConstraint(
            ["owner_agency_id"], ["agency.id"], name=op.f("fk_action_item_owner_agency_id_agency")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_item")),
    )
    with op.batch_alter_table("action_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_action_item_agency_id"), ["agency_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_action_item_assignee_user_id"), ["assignee_user_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_action_item_bulletin_id"), ["bulletin_id"], unique=False
        )
        batch_op.create_index("ix_action_item_created_at_id", ["created_at", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_action_item_meeting_id"), ["meeting_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_action_item_owner_agency_id"), ["owner_agency_id"], unique=False
        )
        batch_op.create_index(
            "ix_action_item_status_due_date", ["status", "due_date"], unique=False
        )

    op.create_table(
        "meeting_minutes",
        sa.Column("meeting_id", sa.Uuid(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("decisions", JSONDoc, nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("drafted_by", JSONDoc, nullable=False),
        sa.Column("approved_by", sa.Uuid(), nullable=True),
        sa.Column("approved_at", UTCDateTime(), nullable=True),
        sa.Column("published_by", sa.Uuid(), nullable=True),
        sa.Column("published_at", UTCDateTime(), nullable=True),
        sa.Column("reopened_by", sa.Uuid(), nullable=True),
        sa.Column("reopen_reason", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["approved_by"],
            ["user_account.id"],
            name=op.f("fk_meeting_minutes_approved_by_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
            name=op.f("fk_meeting_minutes_meeting_id_meeting"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_minutes")),
        sa.UniqueConstraint(
            "meeting_id", "revision", name=op.f("uq_meeting_minutes_meeting_id_revision")
        ),
    )
    op.create_table(
        "meeting_recipient_agency",
        sa.Column("item_id", sa.Uuid(), nullable=False),
        sa.Column("agency_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agency.id"], name=op.f("fk_meeting_recipient_agency_agency_id_agency")
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["meeting.id"],
            name=op.f("fk_meeting_recipient_agency_item_id_meeting"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("item_id", "agency_id", name=op.f("pk_meeting_recipient_agency")),
    )
    with op.batch_alter_table("meeting_recipient_agency", schema=None) as batch_op:
        batch_op.create_index(
            "ix_meeting_recipient_agency_agency", ["agency_id", "item_id"], unique=False
        )

    op.create_table(
        "meeting_recipient_user",
        sa.Column("item_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["meeting.id"],
            name=op.f("fk_meeting_recipient_user_item_id_meeting"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_meeting_recipient_user_user_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("item_id", "user_id", name=op.f("pk_meeting_recipient_user")),
    )
    with op.batch_alter_table("meeting_recipient_user", schema=None) as batch_op:
        batch_op.create_index(
            "ix_meeting_recipient_user_user", ["user_id", "item_id"], unique=False
        )

    op.create_table(
        "action_item_recipient_agency",
        sa.Column("item_id", sa.Uuid(), nullable=False),
        sa.Column("agency_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"],
            ["agency.id"],
            name=op.f("fk_action_item_recipient_agency_agency_id_agency"),
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["action_item.id"],
            name=op.f("fk_action_item_recipient_agency_item_id_action_item"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "item_id", "agency_id", name=op.f("pk_action_item_recipient_agency")
        ),
    )
    with op.batch_alter_table("action_item_recipient_agency", schema=None) as batch_op:
        batch_op.create_index(
            "ix_action_item_recipient_agency_agency", ["agency_id", "item_id"], unique=False
        )

    op.create_table(
        "action_item_recipient_user",
        sa.Column("item_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["action_item.id"],
            name=op.f("fk_action_item_recipient_user_item_id_action_item"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_action_item_recipient_user_user_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("item_id", "user_id", name=op.f("pk_action_item_recipient_user")),
    )
    with op.batch_alter_table("action_item_recipient_user", schema=None) as batch_op:
        batch_op.create_index(
            "ix_action_item_recipient_user_user", ["user_id", "item_id"], unique=False
        )

    op.create_table(
        "action_update",
        sa.Column("action_id", sa.Uuid(), nullable=False),
        sa.Column("author_id", sa.Uuid(), nullable=False),
        sa.Column("author_kind", sa.String(length=8), nullable=False),
        sa.Column("author_agency_id", sa.Uuid(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("from_status", sa.String(length=16), nullable=True),
        sa.Column("to_status", sa.String(length=16), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["action_id"],
            ["action_item.id"],
            name=op.f("fk_action_update_action_id_action_item"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["author_agency_id"],
            ["agency.id"],
            name=op.f("fk_action_update_author_agency_id_agency"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_update")),
    )
    with op.batch_alter_table("action_update", schema=None) as batch_op:
        batch_op.create_index(
            "ix_action_update_action_created", ["action_id", "created_at", "id"], unique=False
        )

    for statement in APPEND_ONLY.get(op.get_bind().dialect.name, []):
        op.execute(statement)


def downgrade() -> None:
    for statement in DROP_APPEND_ONLY.get(op.get_bind().dialect.name, []):
        op.execute(statement)
    with op.batch_alter_table("action_update", schema=None) as batch_op:
        batch_op.drop_index("ix_action_update_action_created")

    op.drop_table("action_update")
    with op.batch_alter_table("action_item_recipient_user", schema=None) as batch_op:
        batch_op.drop_index("ix_action_item_recipient_user_user")

    op.drop_table("action_item_recipient_user")
    with op.batch_alter_table("action_item_recipient_agency", schema=None) as batch_op:
        batch_op.drop_index("ix_action_item_recipient_agency_agency")

    op.drop_table("action_item_recipient_agency")
    with op.batch_alter_table("meeting_recipient_user", schema=None) as batch_op:
        batch_op.drop_index("ix_meeting_recipient_user_user")

    op.drop_table("meeting_recipient_user")
    with op.batch_alter_table("meeting_recipient_agency", schema=None) as batch_op:
        batch_op.drop_index("ix_meeting_recipient_agency_agency")

    op.drop_table("meeting_recipient_agency")
    op.drop_table("meeting_minutes")
    with op.batch_alter_table("action_item", schema=None) as batch_op:
        batch_op.drop_index("ix_action_item_status_due_date")
        batch_op.drop_index(batch_op.f("ix_action_item_owner_agency_id"))
        batch_op.drop_index(batch_op.f("ix_action_item_meeting_id"))
        batch_op.drop_index("ix_action_item_created_at_id")
        batch_op.drop_index(batch_op.f("ix_action_item_bulletin_id"))
        batch_op.drop_index(batch_op.f("ix_action_item_assignee_user_id"))
        batch_op.drop_index(batch_op.f("ix_action_item_agency_id"))

    op.drop_table("action_item")
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.drop_index("ix_meeting_held_at_id")
        batch_op.drop_index(batch_op.f("ix_meeting_agency_id"))

    op.drop_table("meeting")
