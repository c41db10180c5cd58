"""The timestamps the API takes: RFC 3339 with a time zone, within the calendar, in UTC; and
the days it takes in a query string, written YYYY-MM-DD."""

import re
from datetime import UTC, date, datetime
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, BeforeValidator

_RFC3339 = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$"
)
SAMPLE = "2026-11-27T09:30:00Z"


def _rfc3339(value: object) -> object:
    """Only the text form: pydantic alone would also take `0.5` as a Unix time."""
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not _RFC3339.match(value):
        raise ValueError(f"must be an RFC 3339 timestamp with a time zone, e.g. {SAMPLE}")
    return value


def _utc(value: datetime) -> datetime:
    """In UTC; a moment that UTC cannot hold (year 1 east of Greenwich) is refused."""
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise ValueError("is outside the range of dates this service handles") from None


Timestamp = Annotated[AwareDatetime, BeforeValidator(_rfc3339), AfterValidator(_utc)]


_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_day(value: object) -> object:
    """Only YYYY-MM-DD: pydantic alone would also take `0` as a Unix time."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _DAY.match(value):
        raise ValueError("must be a day written YYYY-MM-DD, e.g. 2026-11-27")
    return value


DAY_TEXT = BeforeValidator(_iso_day)
Day = Annotated[date, DAY_TEXT]
