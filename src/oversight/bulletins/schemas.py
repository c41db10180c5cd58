"""Bulletin bodies and representations."""

import uuid
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from oversight.access.bodies import PartialUpdate, WithdrawalIn, WithPattern, trimmed
from oversight.access.classification import (
    TLP,
    AgencyRef,
    ClassificationIn,
    ClassificationPatch,
    PersonRef,
    ProtectiveMarking,
    RecipientsSeen,
)
from oversight.bulletins import indicators
from oversight.bulletins import samples as ex
from oversight.bulletins.indicator_patterns import PATTERNS, URL_PATTERN
from oversight.bulletins.models import (
    AudienceSector,
    BulletinStatus,
    Category,
    IndicatorType,
    Severity,
)
from oversight.samples import with_samples
from oversight.web.filters import AgencyFilter, SearchText
from oversight.web.timestamps import Day, Timestamp

Title = trimmed(3, 200)
Summary = trimmed(1, 2000)
Body = Annotated[str, StringConstraints(max_length=200_000), Field(description="Markdown")]
Action = trimmed(1, 1000)
Reference = Annotated[trimmed(1, 2048), WithPattern(URL_PATTERN)]
IndicatorValue = trimmed(1, 2048)
Note = trimmed(0, 2000)


class BulletinFilters(BaseModel):
    """The query of the bulletins list; `q` searches title, summary and body."""

    status: BulletinStatus | None = None
    tlp: TLP | None = None
    category: Category | None = None
    severity: Severity | None = None
    agency_id: AgencyFilter = None
    sector: AudienceSector | None = None
    q: SearchText = None
    updated_after: Timestamp | None = Field(None, description="RFC 3339 with a time zone")


class Indicator(BaseModel):
    """An indicator of compromise; `value` is checked for its `type`: the schema declares
    each type's pattern, which is the rule."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            # One branch per type (a type's `const` picks it): its values' pattern.
            "anyOf": [
                {
                    "properties": {
                        "type": {"const": kind.value},
                        "value": {"pattern": pattern},
                    }
                }
                for kind, pattern in PATTERNS.items()
            ]
        },
    )

    type: IndicatorType
    value: IndicatorValue
    description: Annotated[str, StringConstraints(max_length=1000)] | None = None

    @field_validator("value")
    @classmethod
    def _valid_for_type(cls, value: str, info: ValidationInfo) -> str:
        kind = info.data.get("type")
        return indicators.check(kind, value) if kind is not None else value


def _unique(values: list[Any]) -> list[Any]:
    return list(dict.fromkeys(values))


def _references(values: list[str] | None) -> list[str] | None:
    if values is None:
        return None
    return _unique([indicators.check(IndicatorType.url, value) for value in values])


class BulletinContent(BaseModel):
    """The fields of a bulletin besides its classification (shared by create and update)."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("sectors", check_fields=False)
    @classmethod
    def _sectors(cls, value: list[AudienceSector] | None) -> list[AudienceSector] | None:
        return None if value is None else _unique(value)

    _refs = field_validator("references", check_fields=False)(_references)


class BulletinCreate(ClassificationIn, BulletinContent):
    """A new bulletin: it starts as a draft of the caller's agency."""

    model_config = with_samples(ex.CREATE_GREEN, ex.CREATE_AMBER_STRICT)

    title: Title
    summary: Summary
    body: Body = ""
    category: Category
    severity: Severity
    sectors: Annotated[list[AudienceSector], Field(max_length=8)] = Field(default_factory=list)
    indicators: Annotated[list[Indicator], Field(max_length=1000)] = Field(default_factory=list)
    recommended_actions: Annotated[list[Action], Field(max_length=100)] = Field(
        default_factory=list
    )
    references: Annotated[list[Reference], Field(max_length=100)] = Field(
        default_factory=list, description="http(s) links to sources and advisories"
    )
    review_by: Day | None = Field(default=None, description="When the bulletin is to be reviewed")


# A bulletin's fields besides its classification: the one list (services copy by it).
CONTENT_FIELDS = tuple(
    f for f in BulletinCreate.model_fields if f not in ClassificationIn.model_fields
)


class BulletinUpdate(PartialUpdate, ClassificationPatch, BulletinContent):
    """A partial update: absent fields stay as they are; only `review_by` may be null."""

    NULLABLE = frozenset({"review_by"})

    model_config = with_samples(ex.UPDATE_EDIT, ex.UPDATE_RECLASSIFY)

    title: Title | None = None
    summary: Summary | None = None
    body: Body | None = None
    category: Category | None = None
    severity: Severity | None = None
    sectors: Annotated[list[AudienceSector], Field(max_length=8)] | None = None
    indicators: Annotated[list[Indicator], Field(max_length=1000)] | None = None
    recommended_actions: Annotated[list[Action], Field(max_length=100)] | None = None
    references: Annotated[list[Reference], Field(max_length=100)] | None = None
    review_by: Day | None = None


class Withdrawal(WithdrawalIn):
    model_config = with_samples(ex.WITHDRAWAL)


class AcknowledgementIn(BaseModel):
    model_config = with_samples(ex.ACKNOWLEDGEMENT_IN, extra="forbid")

    note: Note | None = None


class IndicatorRead(BaseModel):
    type: IndicatorType
    value: str
    description: str | None = None


class BulletinText(BaseModel):
    """A bulletin's text as read: the bulletin carries it, and so does each revision."""

    title: str
    summary: str
    body: str
    category: Category
    severity: Severity
    sectors: list[AudienceSector]
    indicators: list[IndicatorRead]
    recommended_actions: list[str]
    references: list[str]


# What a published revision keeps of a bulletin's fields: its text (not the review date).
REVISED_FIELDS = tuple(BulletinText.model_fields)


class _BulletinHead(BaseModel):
    id: uuid.UUID
    agency_id: uuid.UUID
    agency: AgencyRef = Field(description="The agency that owns the bulletin")


class BulletinPublic(BulletinText, _BulletinHead):
    """A bulletin as the public feed shows it: no authors or recipients."""

    model_config = with_samples(ex.PUBLIC, from_attributes=True)

    tlp: TLP
    protective_marking: ProtectiveMarking
    status: BulletinStatus
    version: int
    published_at: datetime | None
    review_by: date | None
    created_at: datetime
    updated_at: datetime


class BulletinRead(BulletinPublic, RecipientsSeen):
    model_config = with_samples(ex.READ)

    author_id: uuid.UUID | None
    author: PersonRef | None
    withdrawn_at: datetime | None
    withdrawal_reason: str | None
    report_id: uuid.UUID | None = Field(
        default=None,
        description="The report this bulletin was drafted from, when the caller may read it",
    )


class _RevisionHead(BaseModel):
    id: uuid.UUID
    bulletin_id: uuid.UUID
    number: int = Field(description="1 is the text as first published")
    bulletin_version: int


class RevisionRead(BulletinText, _RevisionHead):
    model_config = with_samples(ex.REVISION, from_attributes=True)

    changed_fields: list[str]
    editor_id: uuid.UUID
    created_at: datetime


class AcknowledgementRead(BaseModel):
    model_config = with_samples(ex.ACKNOWLEDGEMENT, from_attributes=True)

    id: uuid.UUID
    bulletin_id: uuid.UUID
    agency_id: uuid.UUID
    agency: AgencyRef = Field(description="The agency that confirmed receipt")
    acknowledged_by: uuid.UUID
    acknowledged_by_kind: str
    acknowledged_at: datetime
    note: str | None
