"""Representations of items stored at write time, for the lists to serve

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 06:00

One row per bulletin (and, as they are registered, other listed items): the fields of its
read schema that are the same for every reader, for its current version
(`representations/`). The table starts empty: `oversight db upgrade` stores the
representations of the items already there after migrating; until then a list presents an
item without one in full, as before.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "stored_representation",
        sa.Column("item_id", sa.Uuid(), nullable=False),
        sa.Column("resource", sa.String(length=40), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("item_id", name=op.f("pk_stored_representation")),
    )


def downgrade() -> None:
    op.drop_table("stored_representation")
