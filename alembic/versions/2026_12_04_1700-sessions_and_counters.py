"""Attempt counters replace failed-login rows; suspension ends sessions; who answers for a
partner system; who disabled a user

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 17:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from oversight.db import UTCDateTime

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "auth_counter",
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("window_started_at", UTCDateTime(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_auth_counter")),
    )
    # Failed logins were kept with the name typed, which may be a password typed into the
    # username box: they go, and with them any lockout in progress.
    with op.batch_alter_table("login_failure", schema=None) as batch_op:
        batch_op.drop_index("ix_login_failure_account_at")
    op.drop_table("login_failure")
    with op.batch_alter_table("agency", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("token_version", sa.Integer(), nullable=False, server_default="1")
        )
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "disabled_by_admin", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
    with op.batch_alter_table("service_account", schema=None) as batch_op:
        batch_op.add_column(sa.Column("responsible_user_id", sa.Uuid(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("service_account", schema=None) as batch_op:
        batch_op.drop_column("responsible_user_id")
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_column("disabled_by_admin")
    with op.batch_alter_table("agency", schema=None) as batch_op:
        batch_op.drop_column("token_version")
    op.create_table(
        "login_failure",
        sa.Column("account", sa.String(length=400), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_failure")),
    )
    with op.batch_alter_table("login_failure", schema=None) as batch_op:
        batch_op.create_index("ix_login_failure_account_at", ["account", "at"], unique=False)
    op.drop_table("auth_counter")
