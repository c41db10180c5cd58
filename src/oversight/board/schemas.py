"""The board update as data (`Accept: application/json`)."""

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from oversight.access.classification import TLP, ProtectiveMarking


class BoardUpdate(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    period_from: str = Field(alias="from", description="First day covered (whole months)")
    period_to: str = Field(alias="to", description="Last day covered")
    tlp: TLP = Field(description="The highest TLP of any item on the update")
    protective_marking: ProtectiveMarking = Field(description="The highest marking on it")
    threat_picture: dict[str, Any] = Field(
        description="`summary` and `by_month`: the statistics, under disclosure control"
    )
    bulletins: list[dict[str, Any]] = Field(description="Published in the period; each marked")
    actions: dict[str, Any] = Field(description="`rag` counts of open actions, and `overdue`")
    minutes: dict[str, Any] | None = Field(description="The latest published minutes' decisions")
