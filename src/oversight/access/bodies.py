"""What request bodies share: a partial update's refusal of nulls (declared in its schema),
text trimmed of surrounding whitespace (its limits declared too), a withdrawal's reason, and
the title of a meeting or an action (their columns' 300 characters)."""

from dataclasses import dataclass
from typing import Annotated, Any, ClassVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    GetJsonSchemaHandler,
    StringConstraints,
    ValidationInfo,
    field_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError


def without_null(schema: dict[str, Any]) -> None:
    """A schema of `T | null` made `T`: null is not a value it takes (nor its default)."""
    branches = [b for b in schema.pop("anyOf", []) if b.get("type") != "null"]
    if len(branches) == 1:
        schema.update(branches[0])
    elif branches:
        schema["anyOf"] = branches
    if schema.get("default", 0) is None:
        del schema["default"]


class PartialUpdate(BaseModel):
    """A partial update: a field left out stays as it is. A field sent as null is refused
    unless `NULLABLE` names it (null clears it, or for a classification keeps it), and the
    schema offers null only for those."""

    NULLABLE: ClassVar[frozenset[str]] = frozenset()

    @field_validator("*", mode="after")
    @classmethod
    def _refuse_null(cls, value: Any, info: ValidationInfo) -> Any:
        if value is None and info.field_name not in cls.NULLABLE:
            raise ValueError("cannot be null")
        return value

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(core_schema)
        for name, field in handler.resolve_ref_schema(json_schema).get("properties", {}).items():
            if name not in cls.NULLABLE:
                without_null(field)
        return json_schema


@dataclass(frozen=True)
class WithPattern:
    """Adds a `pattern` to a string's schema (where the check is code with its own message)."""

    pattern: str | None

    def __get_pydantic_json_schema__(
        self, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        schema = handler(core_schema)
        if self.pattern:
            schema["pattern"] = self.pattern
        return schema


# White space as JSON Schema's patterns (ECMA 262's `\s`) know it, spelt out: Python's `\s`
# and `str.strip()` take a different set (\x1c-\x1f and \x85, but not \ufeff), so text trimmed
# with them could pass a client's check of the schema and still be refused, or the reverse.
WS_CHARS = (
    "\t\n\v\f\r \u00a0\u1680"
    + "".join(map(chr, range(0x2000, 0x200B)))
    + ("\u2028\u2029\u202f\u205f\u3000\ufeff")
)
_WS_CLASS = r"\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
WS = f"[{_WS_CLASS}]"  # one white-space character, as a pattern
NOT_WS = f"[^{_WS_CLASS}]"


def trimmed(min_length: int, max_length: int) -> Any:
    """Text taken without its surrounding white space (`WS_CHARS`): at most `max_length`
    characters as sent, and at least `min_length` left once trimmed. The schema states both:
    `maxLength`, and a `pattern` that holds exactly when `min_length` characters remain
    (first and last not white space, and what lies between), so schema-valid text is never
    refused as too short, nor too-short text taken."""
    if min_length == 0:
        pattern = None
    elif min_length == 1:
        pattern = NOT_WS
    else:
        pattern = rf"{NOT_WS}[\s\S]{{{min_length - 2},}}{NOT_WS}"

    def trim(value: str) -> str:
        value = value.strip(WS_CHARS)
        if len(value) < min_length:
            raise PydanticCustomError(
                "string_too_short",
                "String should have at least {min_length} characters besides surrounding spaces"
                if min_length > 1
                else "String should not be blank",
                {"min_length": min_length},
            )
        return value

    return Annotated[
        str,
        StringConstraints(min_length=min_length, max_length=max_length),
        AfterValidator(trim),
        WithPattern(pattern),
    ]


ItemTitle = trimmed(1, 300)
Reason = trimmed(3, 2000)


class WithdrawalIn(BaseModel):
    """Why an item is withdrawn; its readers still see it, marked so."""

    model_config = ConfigDict(extra="forbid")

    reason: Reason
