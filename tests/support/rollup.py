"""The statistics rollup as stored, and the same figures recomputed from the reports by an
independent route: what `reports.rollup` must always equal."""

from collections import Counter
from datetime import date

from sqlalchemy import Connection, func, or_, select
from sqlalchemy.orm import Session

from oversight.reports.models import Report
from oversight.reports.repository import Tally
from oversight.reports.rollup import ReportTally

Rows = dict[tuple[str, date, str, str], tuple[int, int]]


def stored(db: Session | Connection) -> Rows:
    """The rollup's rows that hold anything (withdrawals leave rows of zeros behind)."""
    t = ReportTally
    columns = (t.dimension, t.month, t.key, t.agency_id, t.count, t.financial_loss_gbp)
    rows = db.execute(select(*columns).where(or_(t.count != 0, t.financial_loss_gbp != 0)))
    return {
        (r.dimension, r.month, r.key, str(r.agency_id)): (r.count, r.financial_loss_gbp)
        for r in rows
    }


def recomputed(db: Session | Connection) -> Rows:
    """The rollup as it should be, from every report read back one by one."""
    counts: Counter[tuple[str, date, str, str]] = Counter()
    losses: Counter[tuple[str, date, str, str]] = Counter()
    columns = (
        Report.status,
        Report.include_in_statistics,
        Report.occurred_on,
        Report.agency_id,
        Report.category,
        Report.vector,
        Report.victim_type,
        Report.outcome,
        Report.kind,
        Report.reported_to_action_fraud,
        Report.financial_loss_gbp,
    )
    for r in db.execute(select(*columns)):
        if r.status != "submitted" or not r.include_in_statistics:
            continue
        keys = {
            "month": r.occurred_on.strftime("%Y-%m"),
            "category": r.category,
            "vector": r.vector,
            "victim_type": r.victim_type,
            "outcome": r.outcome,
            "kind": r.kind,
            "action_fraud": "yes" if r.reported_to_action_fraud else "no",
        }
        for dimension, key in keys.items():
            cell = (dimension, r.occurred_on.replace(day=1), key, str(r.agency_id))
            counts[cell] += 1
            losses[cell] += r.financial_loss_gbp
    return {cell: (counts[cell], losses[cell]) for cell in counts}


def from_reports(db: Session, group: str, start: date | None, end: date | None) -> list[Tally]:
    """`StatisticsRepository.tallies` as it was before the rollup: one GROUP BY over the
    reports themselves."""
    if group == "month":
        if db.get_bind().dialect.name == "postgresql":
            key = func.to_char(Report.occurred_on, "YYYY-MM")
        else:
            key = func.strftime("%Y-%m", Report.occurred_on)
    elif group == "action_fraud":
        key = Report.reported_to_action_fraud
    else:
        key = getattr(Report, group)
    conds = [Report.status == "submitted", Report.include_in_statistics.is_(True)]
    if start is not None:
        conds.append(Report.occurred_on >= start)
    if end is not None:
        conds.append(Report.occurred_on <= end)
    label = key.label("key")
    stmt = (
        select(
            label,
            Report.agency_id,
            func.count().label("n"),
            func.coalesce(func.sum(Report.financial_loss_gbp), 0).label("loss"),
        )
        .where(*conds)
        .group_by(label, Report.agency_id)
    )
    out = []
    for r in db.execute(stmt):
        text = ("yes" if r.key else "no") if isinstance(r.key, bool) else str(r.key)
        out.append(Tally(text, r.agency_id, int(r.n), int(r.loss)))
    return out
