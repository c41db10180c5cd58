"""The demo set: a realistic partnership loaded into an empty database by `oversight demo`."""

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy.orm import Session

from oversight.agencies import repository as agencies
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
    "meetings and action items",
    "bulletins",
    "incident and near-miss reports",
)


def load(session: Session, step: Callable[[int, str], None] | None = None) -> DemoSet:
    """Load every part of the demo set, in the caller's transaction; `step(i, name)` is told
    as each of the STEPS starts."""
    tell = step or (lambda _i, _name: None)
    tell(1, STEPS[0])
    people = identity.load(session)
    tell(2, STEPS[1])
    agreed = meetings.load(session, people)
    tell(3, STEPS[2])
    published = bulletins.load(session, people)
    tell(4, STEPS[3])
    return DemoSet(
        identity=people,
        meetings=agreed,
        bulletins=published,
        reports=reports.load(session, people),
    )
