"""The partnership's figures from reports (contract §15), every one through `disclosure`.

Periods are whole months: `from` is taken back to the first of its month and `to` on to the
last day of its own, so that two overlapping periods never differ by a few days' reports
(a difference that would single out what the cells hide).
"""

import calendar
from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from oversight.reports import disclosure
from oversight.reports.disclosure import Cell, Published, Table, share
from oversight.reports.models import ReportKind, VictimType
from oversight.reports.repository import StatisticsRepository


def period(start: date | None, end: date | None) -> tuple[date | None, date | None]:
    """The whole months that cover [start, end]."""
    first = start.replace(day=1) if start else None
    last = end.replace(day=calendar.monthrange(end.year, end.month)[1]) if end else None
    return first, last


def _table(
    session: Session, group: str, start: date | None, end: date | None, merge: Any = None
) -> Table:
    """The cells of `group` (keys renamed by `merge`, if given) under disclosure control."""
    cells: dict[str, Cell] = defaultdict(lambda: Cell(""))
    for t in StatisticsRepository(session).tallies(group, start, end):
        key = merge(t.key) if merge else t.key
        cells[key].key = key
        cells[key].add(t.count, t.financial_loss_gbp, t.agency_id)
    return disclosure.control(sorted(cells.values(), key=lambda c: c.key))


def reports(session: Session, group: str, start: date | None, end: date | None) -> dict:
    start, end = period(start, end)
    table = _table(session, group, start, end)
    return {
        "group_by": group,
        "from": start,
        "to": end,
        "cells": [c.as_dict() for c in table.cells],
        "total": _total(table.total),
        "suppressed_cells": table.suppressed_cells,
        "rule": disclosure.RULE,
    }


def _total(total: Published) -> dict[str, object]:
    return {k: v for k, v in total.as_dict().items() if k != "key"}


def _cell(table: Table, key: str) -> Published:
    found = [c for c in table.cells if c.key == key]
    return found[0] if found else Published(key, 0, 0, False)


def _audience(key: str) -> str:
    return "individuals" if key == VictimType.individual else "organisations"


def summary(session: Session, start: date | None, end: date | None) -> dict:
    """The seed paper's headline figures, each a cell of a controlled table."""
    start, end = period(start, end)
    victims = _table(session, "victim_type", start, end, merge=_audience)
    vectors = _table(session, "vector", start, end)
    kinds = _table(session, "kind", start, end)
    fraud = _table(session, "action_fraud", start, end)
    total = victims.total
    top = sorted(
        (c for c in vectors.cells if not c.suppressed), key=lambda c: (-(c.count or 0), c.key)
    )
    return {
        "from": start,
        "to": end,
        "reports": total.count,
        "financial_loss_gbp": total.financial_loss_gbp,
        "against_individuals_share": share(_cell(victims, "individuals"), total),
        "against_organisations_share": share(_cell(victims, "organisations"), total),
        "top_vectors": [c.as_dict() for c in top[:3]],
        "near_miss_share": share(_cell(kinds, ReportKind.near_miss.value), total),
        "reported_to_action_fraud_share": share(_cell(fraud, "yes"), total),
        "suppressed": total.suppressed,
        "rule": disclosure.RULE,
    }
