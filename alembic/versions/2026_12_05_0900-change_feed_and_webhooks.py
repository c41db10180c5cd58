"""The change outbox, ordered at commit; webhook subscriptions and their deliveries

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 05:16:36.474030
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from oversight.db import JSONDoc, UTCDateTime

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# An event's feed position is handed out when its transaction commits, under the lock of the
# one counter row, so positions grow in commit order and a reader never finds a gap that a
# later commit fills (docs/architecture.md, "Change feed").
# PostgreSQL: a deferred constraint trigger runs at COMMIT; the counter row's lock is held
# from then until the commit is visible, so the next writer's position is taken only after.
# `SET CONSTRAINTS change_event_position IMMEDIATE` numbers at the inserting statement
# instead (the test suite does, inside its rolled-back transactions).
# SQLite: one writer at a time (sessions begin IMMEDIATE), so numbering at insert is already
# numbering in commit order.
POSITION = {
    "postgresql": [
        """
CREATE FUNCTION change_event_number() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    next_position bigint;
BEGIN
    UPDATE change_counter SET value = value + 1 WHERE id = 1 RETURNING value INTO next_position;
    UPDATE change_event SET position = next_position WHERE id = NEW.id;
    RETURN NULL;
END $$
""",
        "CREATE CONSTRAINT TRIGGER change_event_position AFTER INSERT ON change_event "
        "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION change_event_number()",
    ],
    "sqlite": [
        "CREATE TRIGGER change_event_position AFTER INSERT ON change_event BEGIN "
        "UPDATE change_counter SET value = value + 1 WHERE id = 1; "
        "UPDATE change_event SET position = (SELECT value FROM change_counter WHERE id = 1) "
        "WHERE id = NEW.id; END",
    ],
}
DROP_POSITION = {
    "postgresql": [
        "DROP TRIGGER change_event_position ON change_event",
        "DROP FUNCTION change_event_number()",
    ],
    "sqlite": ["DROP TRIGGER change_event_position"],
}


def upgrade() -> None:
    op.create_table(
        "change_counter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_counter")),
    )
    op.create_table(
        "change_event",
        sa.Column("position", sa.BigInteger(), nullable=True),
        sa.Column("type", sa.String(length=64), nullable=False),
        sa.Column("resource_type", sa.String(length=32), nullable=False),
        sa.Column("resource_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_event")),
        sa.UniqueConstraint("position", name=op.f("uq_change_event_position")),
    )
    with op.batch_alter_table("change_event", schema=None) as batch_op:
        batch_op.create_index(
            "ix_change_event_resource", ["resource_type", "resource_id"], unique=False
        )

    op.create_table(
        "webhook",
        sa.Column("agency_id", sa.Uuid(), nullable=False),
        sa.Column("principal_id", sa.Uuid(), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("event_types", JSONDoc, nullable=False),
        sa.Column("secret", sa.String(length=100), nullable=False),
        sa.Column("secret_rotated_at", UTCDateTime(), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("disabled_reason", sa.String(length=200), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agency.id"], name=op.f("fk_webhook_agency_id_agency")
        ),
        sa.ForeignKeyConstraint(
            ["principal_id"],
            ["service_account.id"],
            name=op.f("fk_webhook_principal_id_service_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook")),
    )
    with op.batch_alter_table("webhook", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_webhook_agency_id"), ["agency_id"], unique=False)

    op.create_table(
        "webhook_delivery",
        sa.Column("webhook_id", sa.Uuid(), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=True),
        sa.Column("type", sa.String(length=64), nullable=False),
        sa.Column("resource_type", sa.String(length=32), nullable=True),
        sa.Column("resource_id", sa.Uuid(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=True),
        sa.Column("event_at", UTCDateTime(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_status_code", sa.Integer(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("first_attempt_at", UTCDateTime(), nullable=True),
        sa.Column("last_attempt_at", UTCDateTime(), nullable=True),
        sa.Column("next_attempt_at", UTCDateTime(), nullable=True),
        sa.Column("leased_until", UTCDateTime(), nullable=True),
        sa.Column("delivered_at", UTCDateTime(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["change_event.id"],
            name=op.f("fk_webhook_delivery_event_id_change_event"),
        ),
        sa.ForeignKeyConstraint(
            ["webhook_id"],
            ["webhook.id"],
            name=op.f("fk_webhook_delivery_webhook_id_webhook"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_delivery")),
        sa.UniqueConstraint(
            "webhook_id", "event_id", name=op.f("uq_webhook_delivery_webhook_id_event_id")
        ),
    )
    with op.batch_alter_table("webhook_delivery", schema=None) as batch_op:
        batch_op.create_index(
            "ix_webhook_delivery_due", ["status", "next_attempt_at"], unique=False
        )
        batch_op.create_index(
            "ix_webhook_delivery_webhook_created", ["webhook_id", "created_at", "id"], unique=False
        )

    op.create_table(
        "webhook_state",
        sa.Column("webhook_id", sa.Uuid(), nullable=False),
        sa.Column("last_position", sa.BigInteger(), nullable=False),
        sa.Column("consecutive_failures", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["webhook_id"],
            ["webhook.id"],
            name=op.f("fk_webhook_state_webhook_id_webhook"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("webhook_id", name=op.f("pk_webhook_state")),
    )
    op.execute("INSERT INTO change_counter (id, value) VALUES (1, 0)")
    for statement in POSITION[op.get_bind().dialect.name]:
        op.execute(statement)


def downgrade() -> None:
    for statement in DROP_POSITION[op.get_bind().dialect.name]:
        op.execute(statement)
    op.drop_table("webhook_state")
    with op.batch_alter_table("webhook_delivery", schema=None) as batch_op:
        batch_op.drop_index("ix_webhook_delivery_webhook_created")
        batch_op.drop_index("ix_webhook_delivery_due")

    op.drop_table("webhook_delivery")
    with op.batch_alter_table("webhook", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_webhook_agency_id"))

    op.drop_table("webhook")
    with op.batch_alter_table("change_event", schema=None) as batch_op:
        batch_op.drop_index("ix_change_event_resource")

    op.drop_table("change_event")
    op.drop_table("change_counter")
