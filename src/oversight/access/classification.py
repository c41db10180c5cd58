"""TLP 2.0 levels, protective markings, and the classification fields of request bodies."""

import uuid
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

NOT_ACCREDITED = (
    "This service is not accredited above OFFICIAL-SENSITIVE: SECRET and TOP SECRET "
    "material must not be shared here"
)


class TLP(StrEnum):
    clear = "CLEAR"
    green = "GREEN"
    amber = "AMBER"
    amber_strict = "AMBER+STRICT"
    red = "RED"


# Reads of these levels are recorded in the audit trail.
AUDITED_READS = frozenset({TLP.amber, TLP.amber_strict, TLP.red})


class ProtectiveMarking(StrEnum):
    official = "OFFICIAL"
    official_sensitive = "OFFICIAL-SENSITIVE"


MAX_RECIPIENTS = 500

RecipientIds = Annotated[list[uuid.UUID], Field(max_length=MAX_RECIPIENTS)]


def _marking(value: object) -> object:
    if isinstance(value, str) and value.strip().upper().replace("_", " ") in {
        "SECRET",
        "TOP SECRET",
        "TOP-SECRET",
    }:
        raise ValueError(NOT_ACCREDITED)
    return value


class ClassificationIn(BaseModel):
    """The classification of a new item: TLP, recipients and protective marking."""

    model_config = ConfigDict(extra="forbid")

    tlp: TLP = Field(description="Traffic Light Protocol 2.0 level")
    recipient_agencies: RecipientIds = Field(
        default_factory=list,
        description="AMBER / AMBER+STRICT: agencies besides the owner that may read it",
    )
    recipient_users: RecipientIds = Field(
        default_factory=list, description="RED: people besides the author that may read it"
    )
    protective_marking: ProtectiveMarking = Field(
        default=ProtectiveMarking.official,
        description="OFFICIAL or OFFICIAL-SENSITIVE (the service is accredited no higher)",
    )

    _check_marking = field_validator("protective_marking", mode="before")(_marking)


class ClassificationPatch(BaseModel):
    """A change of classification; only the owning agency's editors may make it."""

    model_config = ConfigDict(extra="forbid")

    tlp: TLP | None = None
    recipient_agencies: RecipientIds | None = None
    recipient_users: RecipientIds | None = None
    protective_marking: ProtectiveMarking | None = None

    _check_marking = field_validator("protective_marking", mode="before")(_marking)


# A partial update of a meeting or an action takes null for these as "unchanged".
CLASSIFICATION_FIELDS = frozenset(ClassificationPatch.model_fields)


class AgencyRef(BaseModel):
    """An agency named beside its id."""

    id: uuid.UUID
    name: str
    slug: str


class PersonRef(BaseModel):
    """A person (or partner system) named beside its id; "(former member)" once it is
    disabled or its agency suspended."""

    id: uuid.UUID
    display_name: str


class RecipientsSeen(BaseModel):
    """Who else an item went to, as a reader may see it (contract §12)."""

    recipient_agencies: list[uuid.UUID] | None = Field(
        description="Shown to the owning agency only (and, for RED, the author); null for "
        "every other reader, who learns only whether it was named (`shared_with_you`)"
    )
    recipient_users: list[uuid.UUID] | None = Field(
        description="As `recipient_agencies`: the owner's business"
    )
    shared_with_you: bool = Field(
        description="The caller or the caller's agency is named as a recipient"
    )


class ClassificationOut(RecipientsSeen):
    tlp: TLP
    protective_marking: ProtectiveMarking
