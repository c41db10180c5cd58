"""The statistics' representations: every figure beside whether it was suppressed."""

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, Field

from oversight.reports import samples as ex
from oversight.samples import with_samples


class GroupBy(StrEnum):
    month = "month"
    category = "category"
    vector = "vector"
    victim_type = "victim_type"
    outcome = "outcome"


class Rule(BaseModel):
    min_reports: int = Field(description="A published cell holds at least this many reports")
    min_agencies: int = Field(description="...from at least this many agencies")
    secondary: bool = Field(
        description="Further cells are suppressed so no suppressed one can be worked out"
    )


class Figure(BaseModel):
    count: int | None = Field(description="Reports; null when suppressed")
    financial_loss_gbp: int | None = Field(description="Their loss in pounds; null when suppressed")
    suppressed: bool


class StatisticsCell(Figure):
    key: str = Field(description="The month (YYYY-MM) or the value of the grouped field")


Period = Field(description="The whole months the figures cover (null: unbounded)")


class ReportStatistics(BaseModel):
    model_config = with_samples(ex.STATISTICS, populate_by_name=True)

    group_by: GroupBy
    period_from: date | None = Field(alias="from", description="First day counted")
    period_to: date | None = Field(alias="to", description="Last day counted")
    cells: list[StatisticsCell]
    total: Figure
    suppressed_cells: int
    rule: Rule


class StatisticsSummary(BaseModel):
    model_config = with_samples(ex.SUMMARY, populate_by_name=True)

    period_from: date | None = Field(alias="from", description="First day counted")
    period_to: date | None = Field(alias="to", description="Last day counted")
    reports: int | None = Field(description="Reports counted; null when suppressed")
    financial_loss_gbp: int | None = Field(description="Their total loss; null when suppressed")
    against_individuals_share: float | None = Field(description="0..1; null when suppressed")
    against_organisations_share: float | None = Field(description="0..1; null when suppressed")
    top_vectors: list[StatisticsCell] = Field(description="Up to three, most reported first")
    near_miss_share: float | None
    reported_to_action_fraud_share: float | None
    suppressed: bool = Field(description="The period's total itself is suppressed")
    rule: Rule
