"""HTTP for the partnership's statistics (`/statistics`): figures, never items."""

from typing import Annotated

from fastapi import APIRouter, Query

from oversight.auth.principal import ReportsRead
from oversight.errors import responses
from oversight.reports import statistics
from oversight.reports.statistics_schemas import GroupBy, ReportStatistics, StatisticsSummary
from oversight.web.operation_ids import ids
from oversight.web.session import SessionDep
from oversight.web.timestamps import Day

router = APIRouter(
    prefix="/statistics",
    tags=["Statistics"],
    generate_unique_id_function=ids("statistics", "statistics"),
)

RULE = (
    "Over every submitted report with `include_in_statistics`, whatever its TLP (the figures "
    "are not items: the classification of §4 does not apply, disclosure control does). A "
    "cell is published only with at least 5 reports from at least 3 agencies; otherwise its "
    "figures are null and `suppressed` true, and further cells are suppressed so that none "
    "can be worked out from the total and the others. `from` and `to` are widened to whole "
    "months."
)
From = Annotated[Day | None, Query(alias="from", description="First day (YYYY-MM-DD)")]
To = Annotated[Day | None, Query(alias="to", description="Last day (YYYY-MM-DD)")]


@router.get(
    "/reports",
    response_model=ReportStatistics,
    response_model_by_alias=True,
    summary="Reports counted by month, category, vector, victim type or outcome",
    description=RULE,
    responses=responses(400, 401, 403),
)
def report_statistics(
    session: SessionDep,
    principal: ReportsRead,
    group_by: GroupBy,
    period_from: From = None,
    period_to: To = None,
) -> ReportStatistics:
    return ReportStatistics.model_validate(
        statistics.reports(session, group_by.value, period_from, period_to)
    )


@router.get(
    "/summary",
    response_model=StatisticsSummary,
    response_model_by_alias=True,
    summary="The headline figures of the partnership's cybercrime update",
    description="Reports, the share against individuals and against organisations, the "
    "total loss, the top vectors, the near-miss share and the share reported to Action "
    f"Fraud: each a cell of a table under the same control. {RULE}",
    responses=responses(400, 401, 403),
)
def statistics_summary(
    session: SessionDep, principal: ReportsRead, period_from: From = None, period_to: To = None
) -> StatisticsSummary:
    return StatisticsSummary.model_validate(statistics.summary(session, period_from, period_to))
