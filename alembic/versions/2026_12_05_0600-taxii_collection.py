"""The TAXII collection: STIX ids stored once, every version as served, the head that orders
additions

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 06:00:00.000000

Bulletins published before this revision get their versions from `oversight taxii backfill`.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from oversight.db import UTCDateTime

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "stix_object",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("stix_id", sa.String(length=100), nullable=False),
        sa.Column("stix_type", sa.String(length=40), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("bulletin_id", sa.Uuid(), nullable=True),
        sa.Column("created", UTCDateTime(), nullable=False),
        sa.Column("modified", UTCDateTime(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("versions", sa.Integer(), nullable=False),
        sa.Column("revoked", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["bulletin_id"],
            ["bulletin.id"],
            name=op.f("fk_stix_object_bulletin_id_bulletin"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stix_object")),
        sa.UniqueConstraint("stix_id", name=op.f("uq_stix_object_stix_id")),
    )
    op.create_index(op.f("ix_stix_object_key"), "stix_object", ["key"])
    op.create_index(op.f("ix_stix_object_bulletin_id"), "stix_object", ["bulletin_id"])
    op.create_table(
        "stix_version",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("object_id", sa.Uuid(), nullable=False),
        sa.Column("stix_id", sa.String(length=100), nullable=False),
        sa.Column("stix_type", sa.String(length=40), nullable=False),
        sa.Column("bulletin_id", sa.Uuid(), nullable=True),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("modified", UTCDateTime(), nullable=False),
        sa.Column("date_added", UTCDateTime(), nullable=False),
        sa.Column("is_latest", sa.Boolean(), nullable=False),
        sa.Column("spec_version", sa.String(length=8), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["object_id"],
            ["stix_object.id"],
            name=op.f("fk_stix_version_object_id_stix_object"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["bulletin_id"],
            ["bulletin.id"],
            name=op.f("fk_stix_version_bulletin_id_bulletin"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stix_version")),
        sa.UniqueConstraint("date_added", name=op.f("uq_stix_version_date_added")),
    )
    op.create_index(op.f("ix_stix_version_bulletin_id"), "stix_version", ["bulletin_id"])
    op.create_index("ix_stix_version_stix_id_added", "stix_version", ["stix_id", "date_added"])
    op.create_index("ix_stix_version_latest_added", "stix_version", ["is_latest", "date_added"])
    head = op.create_table(
        "stix_collection_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("last_added", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stix_collection_head")),
    )
    op.bulk_insert(head, [{"id": 1, "last_added": None}])


def downgrade() -> None:
    op.drop_table("stix_collection_head")
    op.drop_index("ix_stix_version_latest_added", table_name="stix_version")
    op.drop_index("ix_stix_version_stix_id_added", table_name="stix_version")
    op.drop_index(op.f("ix_stix_version_bulletin_id"), table_name="stix_version")
    op.drop_table("stix_version")
    op.drop_index(op.f("ix_stix_object_bulletin_id"), table_name="stix_object")
    op.drop_index(op.f("ix_stix_object_key"), table_name="stix_object")
    op.drop_table("stix_object")
