"""Report bodies and representations."""

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
)

from oversight.access.bodies import PartialUpdate, WithdrawalIn, WithPattern
from oversight.access.classification import (
    TLP,
    AgencyRef,
    ClassificationIn,
    ClassificationPatch,
    PersonRef,
    ProtectiveMarking,
    RecipientsSeen,
)
from oversight.bulletins.models import Category
from oversight.reports import samples as ex
from oversight.reports.models import Outcome, ReportKind, ReportStatus, VictimType
from oversight.reports.models import Vector as AttackVector
from oversight.samples import with_samples
from oversight.web.filters import SearchText
from oversight.web.timestamps import DAY_TEXT, Day

Description = Annotated[str, StringConstraints(max_length=100_000), Field(description="Markdown")]
Loss = Annotated[int, Field(ge=0, le=10**12, description="Financial loss in whole pounds")]
Downtime = Annotated[float, Field(ge=0, le=100_000, description="Hours of disruption")]
# From 2000-01-01: JSON Schema bounds no dates, so the schema says it of the text (a year
# from 2000); not in the future, which no schema can say, is the rule's own 422.
Occurred = Annotated[
    date,
    Field(description="The day it happened (or was prevented)", ge=date(2000, 1, 1)),
    DAY_TEXT,
    WithPattern(r"^[2-9]"),
]


class ReportFilters(BaseModel):
    """The query of the reports list; `from` and `to` bound the day it occurred."""

    kind: ReportKind | None = None
    category: Category | None = None
    vector: AttackVector | None = None
    victim_type: VictimType | None = None
    outcome: Outcome | None = None
    occurred_from: Day | None = Field(None, alias="from", description="First day (YYYY-MM-DD)")
    occurred_to: Day | None = Field(None, alias="to", description="Last day (YYYY-MM-DD)")
    q: SearchText = None


def _not_future(value: date | None) -> date | None:
    if value is not None and value > date.today():
        raise ValueError("cannot be in the future")
    return value


class ReportContent(BaseModel):
    """The fields of a report besides its classification."""

    model_config = ConfigDict(extra="forbid")


class ReportCreate(ClassificationIn, ReportContent):
    """A new report of the caller's agency: `submitted` at once (reports have no draft)."""

    model_config = with_samples(ex.CREATE_NEAR_MISS, ex.CREATE_INCIDENT)

    kind: ReportKind
    occurred_on: Occurred
    category: Category
    vector: AttackVector
    victim_type: VictimType
    outcome: Outcome
    financial_loss_gbp: Loss = 0
    downtime_hours: Downtime | None = None
    reported_to_action_fraud: bool = False
    description: Description = ""
    anonymous_to_peers: bool = Field(
        default=False,
        description="Readers outside your agency see neither your agency nor the author",
    )
    include_in_statistics: bool = Field(
        default=True, description="Counted in the partnership's statistics, whatever its TLP"
    )
    tlp: TLP = Field(default=TLP.amber, description="Traffic Light Protocol 2.0 level")

    _occurred = field_validator("occurred_on")(_not_future)


# A report's fields besides its classification: the one list (the service copies by it).
CONTENT_FIELDS = tuple(
    f for f in ReportCreate.model_fields if f not in ClassificationIn.model_fields
)


class ReportUpdate(PartialUpdate, ClassificationPatch, ReportContent):
    """A partial update: absent fields stay as they are; only `downtime_hours` may be null."""

    NULLABLE = frozenset({"downtime_hours"})

    model_config = with_samples(ex.UPDATE)

    kind: ReportKind | None = None
    occurred_on: Occurred | None = None
    category: Category | None = None
    vector: AttackVector | None = None
    victim_type: VictimType | None = None
    outcome: Outcome | None = None
    financial_loss_gbp: Loss | None = None
    downtime_hours: Downtime | None = None
    reported_to_action_fraud: bool | None = None
    description: Description | None = None
    anonymous_to_peers: bool | None = None
    include_in_statistics: bool | None = None

    _occurred = field_validator("occurred_on")(_not_future)


class Withdrawal(WithdrawalIn):
    model_config = with_samples(ex.WITHDRAWAL)


class ReportRead(RecipientsSeen):
    """A report as its reader sees it: agency and author are null for readers outside the
    reporting agency when it is `anonymous_to_peers`."""

    model_config = with_samples(ex.READ, from_attributes=True)

    id: uuid.UUID
    agency_id: uuid.UUID | None
    agency: AgencyRef | None = Field(description="The reporting agency (null if anonymous)")
    author_id: uuid.UUID | None
    author: PersonRef | None
    kind: ReportKind
    occurred_on: date
    category: Category
    vector: AttackVector
    victim_type: VictimType
    outcome: Outcome
    financial_loss_gbp: int
    downtime_hours: float | None
    reported_to_action_fraud: bool
    description: str
    anonymous_to_peers: bool
    include_in_statistics: bool
    tlp: TLP
    protective_marking: ProtectiveMarking
    status: ReportStatus
    withdrawn_at: datetime | None
    withdrawal_reason: str | None
    bulletin_id: uuid.UUID | None = Field(
        description="The bulletin drafted from this report, when the caller may read it"
    )
    version: int
    created_at: datetime
    updated_at: datetime
