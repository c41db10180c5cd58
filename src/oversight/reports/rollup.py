"""THE statistics rollup: counts and losses per (dimension, month, key, agency), kept at write.

Every submitted report with `include_in_statistics` contributes one report and its loss to
one row of each dimension (`GROUPS`) for its month and agency. The rows change in the
transaction of the report's own change, from mapper events on `Report` — so no service has
to remember it, whatever session or command writes — by the difference between the row as
stored before the change and as written: nothing for an edit that moves no figure, a move
from one cell to another for a recategorisation, the whole contribution taken away for a
withdrawal. Each change is one atomic upsert (`count = count + excluded.count`), so
concurrent writers on PostgreSQL never lose a count; rows are written in key order, so two
transactions take their row locks in the same order. Statements that bypass the ORM (bulk
inserts, raw SQL) bypass the rollup too: `ReportRollup.rebuild` recomputes it from the reports
(`oversight reports rebuild-statistics`). Why and what it costs: docs/architecture.md,
"Statistics from reports".
"""

import uuid
from collections import defaultdict
from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Connection,
    Date,
    ForeignKey,
    String,
    case,
    cast,
    delete,
    event,
    func,
    inspect,
    literal,
    select,
    text,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Mapper, mapped_column

from oversight.access.repository import AggregateRepository
from oversight.db import Base
from oversight.reports.models import Report, ReportStatus

# What a statistics cell may be keyed by: `month` (YYYY-MM), `action_fraud` (yes/no), or the
# report's column of that name.
GROUPS = ("month", "category", "vector", "victim_type", "outcome", "kind", "action_fraud")
# The report's fields that decide whether and where it counts.
FIELDS = (
    "agency_id",
    "status",
    "include_in_statistics",
    "occurred_on",
    "category",
    "vector",
    "victim_type",
    "outcome",
    "kind",
    "reported_to_action_fraud",
    "financial_loss_gbp",
)

Cell = tuple[str, date, str, uuid.UUID]  # dimension, first day of the month, key, agency


class ReportTally(Base):
    """The counted reports of one agency in one cell of one dimension, in one month."""

    __tablename__ = "report_tally"

    dimension: Mapped[str] = mapped_column(String(16), primary_key=True)
    month: Mapped[date] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agency.id"), primary_key=True)
    count: Mapped[int]
    financial_loss_gbp: Mapped[int] = mapped_column(BigInteger)


def _keys(row: Mapping[str, Any]) -> dict[str, str]:
    occurred: date = row["occurred_on"]
    return {
        "month": f"{occurred.year:04d}-{occurred.month:02d}",
        "category": row["category"],
        "vector": row["vector"],
        "victim_type": row["victim_type"],
        "outcome": row["outcome"],
        "kind": row["kind"],
        "action_fraud": "yes" if row["reported_to_action_fraud"] else "no",
    }


def contribution(row: Mapping[str, Any] | None) -> dict[Cell, tuple[int, int]]:
    """What one report (its `FIELDS`) adds to the rollup: nothing unless it is counted."""
    if row is None or row["status"] != ReportStatus.submitted or not row["include_in_statistics"]:
        return {}
    month = row["occurred_on"].replace(day=1)
    loss = int(row["financial_loss_gbp"] or 0)
    return {(dim, month, key, row["agency_id"]): (1, loss) for dim, key in _keys(row).items()}


def difference(
    before: Mapping[str, Any] | None, after: Mapping[str, Any] | None
) -> dict[Cell, tuple[int, int]]:
    """What moves when a report changes from `before` to `after` (None: absent)."""
    out: dict[Cell, list[int]] = defaultdict(lambda: [0, 0])
    for sign, side in ((-1, before), (1, after)):
        for cell, (n, loss) in contribution(side).items():
            out[cell][0] += sign * n
            out[cell][1] += sign * loss
    return {cell: (n, loss) for cell, (n, loss) in out.items() if n or loss}


def apply(connection: Connection, deltas: Mapping[Cell, tuple[int, int]]) -> None:
    """Add `deltas` to the rollup in one atomic upsert, rows in key order."""
    if not deltas:
        return
    table = ReportTally.__table__
    insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
    rows = [
        {"dimension": d, "month": m, "key": k, "agency_id": a, "count": n, "financial_loss_gbp": x}
        for (d, m, k, a), (n, x) in sorted(deltas.items(), key=lambda item: _order(item[0]))
    ]
    stmt = insert(table).values(rows)
    connection.execute(
        stmt.on_conflict_do_update(
            index_elements=[table.c.dimension, table.c.month, table.c.key, table.c.agency_id],
            set_={
                "count": table.c.count + stmt.excluded.count,
                "financial_loss_gbp": table.c.financial_loss_gbp + stmt.excluded.financial_loss_gbp,
            },
        )
    )


def _order(cell: Cell) -> tuple[str, date, str, str]:
    return cell[0], cell[1], cell[2], str(cell[3])


@event.listens_for(Report, "after_insert")
def _inserted(mapper: Mapper[Report], connection: Connection, target: Report) -> None:
    apply(connection, difference(None, {name: getattr(target, name) for name in FIELDS}))


@event.listens_for(Report, "before_update")
def _updating(mapper: Mapper[Report], connection: Connection, target: Report) -> None:
    state = inspect(target)
    changed = {name: state.attrs[name].history for name in FIELDS}
    changed = {name: h for name, h in changed.items() if h.has_changes()}
    if not changed:
        return
    before = ReportRollup.stored(connection, target.id)
    after = dict(before or {})
    for name, history in changed.items():
        after[name] = history.added[0] if history.added else None
    apply(connection, difference(before, after))


@event.listens_for(Report, "before_delete")
def _deleting(mapper: Mapper[Report], connection: Connection, target: Report) -> None:
    apply(connection, difference(ReportRollup.stored(connection, target.id), None))


def _month_key(dialect: str) -> tuple[ColumnElement[Any], ColumnElement[str]]:
    if dialect == "postgresql":
        first = cast(func.date_trunc("month", Report.occurred_on), Date)
        return first, func.to_char(Report.occurred_on, "YYYY-MM")
    first = func.date(Report.occurred_on, "start of month")
    return first, func.strftime("%Y-%m", Report.occurred_on)


class ReportRollup(AggregateRepository):
    """The rollup's reads of reports: every report counted, whatever its classification;
    only the rollup's sums leave it, and they pass the disclosure control."""

    @staticmethod
    def stored(connection: Connection, report_id: uuid.UUID) -> Mapping[str, Any] | None:
        """The report's `FIELDS` as the database holds them (before this flush changes them)."""
        columns = [getattr(Report, name) for name in FIELDS]
        row = connection.execute(select(*columns).where(Report.id == report_id)).one_or_none()
        return None if row is None else row._mapping

    def rebuild(self) -> int:
        """Recompute the rollup from the reports (after a bulk load, or for recovery); the
        number of rows it now holds. Writers of reports wait until it commits."""
        table = ReportTally.__table__
        dialect = self.session.get_bind().dialect.name
        if dialect == "postgresql":
            self.session.execute(text("LOCK TABLE report_tally IN EXCLUSIVE MODE"))
        first, month_key = _month_key(dialect)
        keys: dict[str, ColumnElement[Any]] = {
            "month": month_key,
            "action_fraud": case((Report.reported_to_action_fraud.is_(True), "yes"), else_="no"),
        }
        self.session.execute(delete(table))
        columns = ["dimension", "month", "key", "agency_id", "count", "financial_loss_gbp"]
        for dimension in GROUPS:
            key = keys.get(dimension, getattr(Report, dimension, None))
            rows = (
                select(
                    literal(dimension, String(16)),
                    first,
                    key,
                    Report.agency_id,
                    func.count(),
                    func.coalesce(func.sum(Report.financial_loss_gbp), 0),
                )
                .where(
                    Report.status == ReportStatus.submitted.value,
                    Report.include_in_statistics.is_(True),
                )
                .group_by(first, key, Report.agency_id)
            )
            self.session.execute(table.insert().from_select(columns, rows))
        return self.session.scalar(select(func.count()).select_from(table)) or 0
