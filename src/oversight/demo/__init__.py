"""The demo set: a realistic partnership loaded into an empty database by `oversight demo`."""

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


def load(session: Session) -> DemoSet:
    """Load every part of the demo set, in the caller's transaction."""
    people = identity.load(session)
    return DemoSet(
        identity=people,
        meetings=meetings.load(session, people),
        bulletins=bulletins.load(session, people),
        reports=reports.load(session, people),
    )
