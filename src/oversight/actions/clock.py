"""What "today" is for deadlines: the UTC date, read through this one function.

Tests freeze it by replacing `today` on this module; everything that derives `overdue`
or `rag_status` calls `clock.today()` at read time, so nothing derived is ever stored.
"""

from datetime import UTC, date, datetime


def today() -> date:
    return datetime.now(UTC).date()
