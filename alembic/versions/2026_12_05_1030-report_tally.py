"""The statistics rollup kept at write time, filled from the existing reports; the covering
index it replaces

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05 10:30

`report_tally` holds, for each dimension a statistic may be grouped by, the count and loss
of every agency's counted reports per month and key (`reports/rollup.py`). The application
keeps it from now on; this fills it from the reports already stored, with the same rule
(`oversight reports rebuild-statistics` recomputes it the same way).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DIMENSIONS = ("month", "category", "vector", "victim_type", "outcome", "kind", "action_fraud")
STATISTICS_INDEX = [
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
]

report = sa.table(
    "report",
    *(sa.column(name) for name in STATISTICS_INDEX),
)


def _fill(dialect: str) -> None:
    r = report.c
    if dialect == "postgresql":
        first = sa.cast(sa.func.date_trunc("month", r.occurred_on), sa.Date)
        month = sa.func.to_char(r.occurred_on, "YYYY-MM")
    else:
        first = sa.func.date(r.occurred_on, "start of month")
        month = sa.func.strftime("%Y-%m", r.occurred_on)
    fraud = sa.case((r.reported_to_action_fraud == sa.true(), "yes"), else_="no")
    tally = sa.table(
        "report_tally",
        *(sa.column(n) for n in ("dimension", "month", "key", "agency_id", "count")),
        sa.column("financial_loss_gbp"),
    )
    for dimension in DIMENSIONS:
        key = {"month": month, "action_fraud": fraud}.get(dimension, r.get(dimension))
        rows = (
            sa.select(
                sa.literal(dimension, sa.String(16)),
                first,
                key,
                r.agency_id,
                sa.func.count(),
                sa.func.coalesce(sa.func.sum(r.financial_loss_gbp), 0),
            )
            .where(r.status == "submitted", r.include_in_statistics == sa.true())
            .group_by(first, key, r.agency_id)
        )
        op.execute(tally.insert().from_select([c.name for c in tally.c], rows))


def upgrade() -> None:
    op.create_table(
        "report_tally",
        sa.Column("dimension", sa.String(length=16), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column("agency_id", sa.Uuid(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("financial_loss_gbp", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agency.id"], name=op.f("fk_report_tally_agency_id_agency")
        ),
        sa.PrimaryKeyConstraint(
            "dimension", "month", "key", "agency_id", name=op.f("pk_report_tally")
        ),
    )
    _fill(op.get_bind().dialect.name)
    # The statistics no longer read the reports: the covering index only slowed their writes.
    op.drop_index("ix_report_statistics", table_name="report")


def downgrade() -> None:
    op.create_index("ix_report_statistics", "report", STATISTICS_INDEX, unique=False)
    op.drop_table("report_tally")
