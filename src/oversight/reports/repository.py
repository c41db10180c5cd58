"""Every query of reports: the classified reads, and the statistics' one GROUP BY.

The statistics count every submitted report that is `include_in_statistics`, whatever its
TLP: they are figures, never items, read from the rollup (`reports.rollup`), and pass the
disclosure control of `reports.disclosure` before anyone sees them.
"""

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select

from oversight.access.repository import AggregateRepository, ClassifiedRepository
from oversight.db.keyset import Key, PageSlice, equals
from oversight.reports import search
from oversight.reports.models import Report
from oversight.reports.rollup import GROUPS, ReportTally
from oversight.reports.schemas import ReportFilters


def _period(start: date | None, end: date | None) -> list[ColumnElement[bool]]:
    conds = []
    if start is not None:
        conds.append(Report.occurred_on >= start)
    if end is not None:
        conds.append(Report.occurred_on <= end)
    return conds


class ReportRepository(ClassifiedRepository[Report]):
    model = Report
    resource = "report"

    def listing(
        self, f: ReportFilters, page: PageSlice, base: Select[Any] | None = None
    ) -> tuple[list[Any], Key | None]:
        """A page of the reports `f` selects that the caller reads, newest first, of
        `base()` or of `base` (the same rows, other columns)."""
        exact = ("kind", "category", "vector", "victim_type", "outcome")
        conds = equals(*((getattr(Report, name), getattr(f, name)) for name in exact))
        conds += _period(f.occurred_from, f.occurred_to)
        if f.q is not None:
            conds.append(search.matches(self.session.get_bind().dialect.name, f.q))
        return self.page(page, *conds, stmt=base)


@dataclass(frozen=True, slots=True)
class Tally:
    """The counted reports of one agency in one cell."""

    key: str
    agency_id: uuid.UUID
    count: int
    financial_loss_gbp: int


class StatisticsRepository(AggregateRepository):
    """The one aggregate query: counts and losses per (cell, agency) for a period, read from
    the rollup kept at write time (`reports.rollup`), never from the reports themselves."""

    def tallies(self, group: str, start: date | None, end: date | None) -> list[Tally]:
        """Over the whole months that [start, end] touches (statistics count whole months)."""
        if group not in GROUPS:
            raise ValueError(f"no statistics by {group}")
        t = ReportTally
        conds = [t.dimension == group]
        if start is not None:
            conds.append(t.month >= start.replace(day=1))
        if end is not None:
            conds.append(t.month <= end)
        count = func.sum(t.count)
        stmt = (
            select(
                t.key, t.agency_id, count.label("n"), func.sum(t.financial_loss_gbp).label("loss")
            )
            .where(*conds)
            .group_by(t.key, t.agency_id)
            .having(count > 0)  # rows emptied by withdrawals and edits name no agency
        )
        return [
            Tally(r.key, r.agency_id, int(r.n), int(r.loss)) for r in self.session.execute(stmt)
        ]
