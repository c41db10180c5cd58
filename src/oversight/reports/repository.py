"""Every query of reports: the classified reads, and the statistics' one GROUP BY.

The statistics count every submitted report that is `include_in_statistics`, whatever its
TLP: they are figures, never items, and pass the disclosure control of
`reports.disclosure` before anyone sees them.
"""

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, func, select

from oversight.access.repository import AggregateRepository, ClassifiedRepository
from oversight.db.keyset import Key, PageSlice, equals
from oversight.reports import search
from oversight.reports.models import Report, ReportStatus


@dataclass(slots=True)
class ReportFilters:
    kind: str | None = None
    category: str | None = None
    vector: str | None = None
    victim_type: str | None = None
    outcome: str | None = None
    occurred_from: date | None = None
    occurred_to: date | None = None
    q: str | None = None


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

    def listing(self, f: ReportFilters, page: PageSlice) -> tuple[list[Report], Key | None]:
        """A page of the reports `f` selects that the caller reads, newest first."""
        exact = ("kind", "category", "vector", "victim_type", "outcome")
        conds = equals(*((getattr(Report, name), getattr(f, name)) for name in exact))
        conds += _period(f.occurred_from, f.occurred_to)
        if f.q is not None:
            conds.append(search.matches(self.session.get_bind().dialect.name, f.q))
        return self.page(page, *conds)


# What a statistics cell may be keyed by: the column, or for `month` its year and month.
GROUPS = ("month", "category", "vector", "victim_type", "outcome", "kind", "action_fraud")


@dataclass(frozen=True, slots=True)
class Tally:
    """The counted reports of one agency in one cell."""

    key: str
    agency_id: uuid.UUID
    count: int
    financial_loss_gbp: int


class StatisticsRepository(AggregateRepository):
    """The one aggregate query: counts and losses per (cell, agency) for a period."""

    def _key(self, group: str) -> ColumnElement[str]:
        if group == "month":
            if self.session.get_bind().dialect.name == "postgresql":
                return func.to_char(Report.occurred_on, "YYYY-MM")
            return func.strftime("%Y-%m", Report.occurred_on)
        if group == "action_fraud":
            return Report.reported_to_action_fraud
        return getattr(Report, group)

    def tallies(self, group: str, start: date | None, end: date | None) -> list[Tally]:
        if group not in GROUPS:
            raise ValueError(f"no statistics by {group}")
        key = self._key(group).label("key")
        stmt = (
            select(
                key,
                Report.agency_id,
                func.count().label("n"),
                func.coalesce(func.sum(Report.financial_loss_gbp), 0).label("loss"),
            )
            .where(
                Report.status == ReportStatus.submitted.value,
                Report.include_in_statistics.is_(True),
                *_period(start, end),
            )
            .group_by(key, Report.agency_id)
        )
        return [
            Tally(_text(r.key), r.agency_id, int(r.n), int(r.loss))
            for r in self.session.execute(stmt)
        ]


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
