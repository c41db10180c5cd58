"""What the bodies of classified items share besides their classification: a withdrawal's
reason, a partial update's refusal of nulls, and the title of a meeting or an action (their
columns' 300 characters)."""

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationInfo, field_validator

ItemTitle = Annotated[str, StringConstraints(min_length=1, max_length=300)]


class WithdrawalIn(BaseModel):
    """Why an item is withdrawn; its readers still see it, marked so."""

    model_config = ConfigDict(extra="forbid")

    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=2000)]


def nulls_refused(*nullable: str) -> Any:
    """A partial update's validator: a field sent as null is refused unless named here."""

    def check(cls: type[BaseModel], value: Any, info: ValidationInfo) -> Any:
        if value is None and info.field_name not in nullable:
            raise ValueError("cannot be null")
        return value

    return field_validator("*", mode="after")(check)
