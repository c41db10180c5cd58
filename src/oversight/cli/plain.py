"""Validation errors told as plain sentences about the command's own options.

Both kinds of bad input pass through here: a value the API's schema refuses (`validated`),
and a value typer refuses while parsing an option (an enum member, a number), which it
raises as a `BadParameter` caused by a pydantic `ValidationError`.
"""

import re
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from oversight.agencies.schemas import SLUG_PATTERN
from oversight.auth.strength import TOO_EASY

# Schema fields whose command-line option has another name.
OPTION_OF = {
    "display_name": "--name",
    "agency_id": "--agency",
    "scopes": "--scope",
    "roles": "--role",
    "password": "the password",
}

PATTERNS = {SLUG_PATTERN: "lower-case letters, digits and single hyphens, like schools-trust"}


def label(field: str, labels: dict[str, str] | None = None) -> str:
    """The option a schema field came from, as the user typed it."""
    found = (labels or {}).get(field) or OPTION_OF.get(field)
    return found or "--" + field.replace("_", "-")


def first_sentence(exc: ValidationError, labels: dict[str, str] | None = None) -> str:
    """The first error of a validation, told about the option the user gave."""
    error = exc.errors()[0]
    fields = [str(p) for p in error.get("loc", ()) if isinstance(p, str)]
    if "password" in fields:
        error = {**error, "input": None}  # never echo a secret
    return sentence(error, label(fields[0], labels) if fields else "the value")


def sentence(error: ErrorDetails, what: str) -> str:
    kind = error.get("type", "")
    ctx: dict[str, Any] = dict(error.get("ctx") or {})
    given = error.get("input")
    shown = f' "{given}"' if isinstance(given, str | int | float) and given != "" else ""
    if kind == "missing":
        return f"{what} is required"
    if kind == "string_too_short":
        return f"{what} must be at least {_chars(ctx.get('min_length'))}"
    if kind == "string_too_long":
        return f"{what} must be at most {_chars(ctx.get('max_length'))}"
    if kind == "too_short":
        return f"give at least {ctx.get('min_length', 1)} {what}"
    if kind == "too_long":
        return f"give at most {ctx.get('max_length')} {what}"
    if kind == "string_pattern_mismatch":
        form = PATTERNS.get(str(ctx.get("pattern")), "in the expected form")
        return f"{what}{shown} is not valid: use {form}"
    if kind == "enum":
        return f"{what}{shown} is not one of {_choices(str(ctx.get('expected', '')))}"
    if kind in {"uuid_parsing", "uuid_type"}:
        return f"{what}{shown} is not a valid id (a UUID)"
    if kind in {"int_parsing", "int_type"}:
        return f"{what}{shown} is not a whole number"
    if kind in {"greater_than_equal", "greater_than"}:
        return f"{what} must be at least {ctx.get('ge', ctx.get('gt'))}{_got(shown)}"
    if kind in {"less_than_equal", "less_than"}:
        return f"{what} must be at most {ctx.get('le', ctx.get('lt'))}{_got(shown)}"
    if kind == "value_error":
        reason = _reason(str(ctx.get("error", "")) or error.get("msg", ""))
        joiner = " is " if reason.startswith(TOO_EASY) else ": "
        return f"{what}{joiner}{reason}"
    return f"{what}{shown} is not valid"


def _chars(n: Any) -> str:
    return f"{n} character" + ("" if n == 1 else "s")


def _got(shown: str) -> str:
    return f" (got{shown})" if shown else ""


def _choices(text: str) -> str:
    """`'a', 'b' or 'c'` (pydantic's wording) or `'a', 'b'` (typer's) as `a, b, c`."""
    return ", ".join(re.findall(r"'([^']*)'", text)) or text


def _reason(text: str) -> str:
    """A validator's own message, without the framework's prefix; a choice list unquoted."""
    text = re.sub(r"^(Value error|Assertion failed), ", "", text).rstrip(".")
    found = re.match(r"^'([^']*)' is not one of (.*)$", text)
    if found:
        return f'"{found.group(1)}" is not one of {_choices(found.group(2))}'
    return text
