"""The demo set: a realistic partnership loaded into an empty database by `oversight demo`.

It tells one story in time, relative to the day of loading: the partnership was set up some
four months ago (`SET_UP_DAYS_AGO`; its agencies, people and partner system are dated then),
its bulletins were published over the months since (see `bulletins`), the board met ten weeks
ago and a later meeting two weeks ago (see `meetings`), and the reports fall in the year.
"""

from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any

from sqlalchemy.orm import Session

from oversight.actions import clock
from oversight.agencies import repository as agencies
from oversight.db import clock_from
from oversight.demo import bulletins, identity, meetings, reports
from oversight.users import repository as users


@dataclass(frozen=True, slots=True)
class DemoSet:
    identity: identity.Identity
    meetings: meetings.MeetingsDemo
    bulletins: list[dict[str, str]]
    reports: int

    def summary(self) -> dict[str, Any]:
        return {
            "agencies": [
                {"id": str(a.id), "name": a.name, "slug": a.slug, "sector": a.sector}
                for a in self.identity.agencies.values()
            ],
            "logins": [asdict(login) for login in self.identity.logins],
            "service_account": asdict(self.identity.client),
            "bulletins": self.bulletins,
            "meetings": self.meetings.meetings,
            "actions": self.meetings.actions,
            "reports": self.reports,
        }


def is_empty(session: Session) -> bool:
    return not agencies.any_exist(session) and not users.any_exist(session)


STEPS = (
    "agencies, people and a partner system",
    "bulletins",
    "meetings and action items",
    "incident and near-miss reports",
)

# When the partnership's agencies, people and partner system were set up, in days before loading.
SET_UP_DAYS_AGO = 120


def load(session: Session, step: Callable[[int, str], None] | None = None) -> DemoSet:
    """Load every part of the demo set, in the caller's transaction; `step(i, name)` is told
    as each of the STEPS starts."""
    tell = step or (lambda _i, _name: None)
    set_up = clock.today() - timedelta(days=SET_UP_DAYS_AGO)
    tell(1, STEPS[0])
    with clock_from(datetime.combine(set_up, time(9, 0), tzinfo=UTC)):
        people = identity.load(session)
    tell(2, STEPS[1])
    published = bulletins.load(session, people)
    tell(3, STEPS[2])
    agreed = meetings.load(session, people)
    tell(4, STEPS[3])
    return DemoSet(
        identity=people,
        meetings=agreed,
        bulletins=published,
        reports=reports.load(session, people),
    )
