"""A board meeting, its minutes and recommendations, and a later meeting.

Everything goes through the services as the people who would do it, so the audit trail of a
demo database reads like the real thing. Meetings and due dates are set from the day of
loading, so the story always sits in the last quarter: the board met some ten weeks ago and
agreed actions due after it (some done, some overdue, some due soon), and a later meeting two
weeks ago agreed one more. The action tracker thus always shows a mix of done, open, due-soon
and overdue actions.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from oversight.access.classification import TLP
from oversight.accounts.models import User
from oversight.actions import clock, progress
from oversight.actions import service as actions
from oversight.actions.schemas import ActionCreate, ActionUpdateIn
from oversight.actions.status import ActionStatus, Priority
from oversight.audit.recorder import set_actor
from oversight.auth.principal import Principal
from oversight.auth.scopes import scopes_for_roles
from oversight.demo.identity import Identity
from oversight.meetings import minutes_service as minutes
from oversight.meetings import samples, service
from oversight.meetings.models import AttendanceStatus
from oversight.meetings.schemas import AttendanceEntry, MeetingCreate, MinutesIn

WRITER = "editor@police.example"
CHAIR = "editor@crc.example"

BOARD_MINUTES = """\
## 1. Welcome and apologies
The chair welcomed members. Apologies are recorded in the attendance.

## 2. Cyber crime unit update
The Detective Inspector of the cyber crime unit reported on the quarter:
- reports of ransomware against small businesses rose, most entering through phished
  remote-access credentials;
- account-takeover fraud against older residents continued, often after fake
  delivery-company texts;
- the unit has begun referring young people at risk of cyber offending to Prevent, and
  asked partners to help make the referral route known;
- the Cyber Resilience Centre has given protect advice to 140 small businesses.

## 3. Recommendations
The board agreed the four recommendations recorded as decisions and action items.
"""

# The board meeting is the one the API documentation shows: its title, place, agenda and
# first decisions are the samples' own.
BOARD_DECISIONS = [
    *samples.DECISIONS,
    "Encourage membership of the Strategic Oversight group",
]

# When the two meetings were held, in days before the day of loading.
BOARD_DAYS_AGO = 75
LATER_DAYS_AGO = 14

# (title, owner agency slug, due in days from today, status it has reached, note)
RECOMMENDATIONS: list[tuple[str, str, int, str | None, str]] = [
    (BOARD_DECISIONS[0], "county-council", -40, "done", "Adopted by the county cabinet."),
    (BOARD_DECISIONS[1], "police-cyber", 5, "in_progress", "Referral form agreed with Prevent."),
    (BOARD_DECISIONS[2], "crc", -14, None, ""),
    (BOARD_DECISIONS[3], "voluntary-action", 30, None, ""),
]


@dataclass(frozen=True, slots=True)
class MeetingsDemo:
    meetings: list[dict[str, Any]]
    actions: list[dict[str, Any]]


def _principal(session: Session, email: str) -> Principal:
    user = session.scalars(select(User).where(User.email == email)).one()
    roles = frozenset(user.roles)
    return Principal("user", user.id, user.agency_id, roles, scopes_for_roles(roles))


def _as(session: Session, principal: Principal) -> Principal:
    set_actor(session, principal.actor)
    return principal


def load(session: Session, ident: Identity) -> MeetingsDemo:
    """Create the two meetings and their actions in the caller's transaction."""
    agencies = ident.agencies
    writer = _principal(session, WRITER)
    chair = _principal(session, CHAIR)
    today = clock.today()
    board_day = _held(today, BOARD_DAYS_AGO)
    board_date = _spoken(board_day)

    board = service.create(
        session,
        _as(session, writer),
        MeetingCreate(
            title=samples.CREATE["title"],
            held_at=board_day,
            location=samples.CREATE["location"],
            chair_user_id=chair.id,
            agenda=list(samples.AGENDA),
            attendance=[
                AttendanceEntry(agency_id=agencies[slug].id, status=AttendanceStatus(status))
                for slug, status in [
                    ("police-cyber", "present"),
                    ("county-council", "present"),
                    ("eastvale-council", "present"),
                    ("westmoor-council", "apologies"),
                    ("rocu", "present"),
                    ("crc", "present"),
                    ("voluntary-action", "present"),
                    ("schools-trust", "absent"),
                ]
            ],
            tlp=TLP.green,
        ),
    )
    session.flush()
    text = MinutesIn(body=BOARD_MINUTES, decisions=BOARD_DECISIONS)
    board = minutes.write(session, writer, board.id, text, board.version)
    board = minutes.approve(session, _as(session, chair), board.id, board.version)
    board = minutes.publish(session, chair, board.id, board.version)

    made = []
    for title, slug, days, reached, note in RECOMMENDATIONS:
        action = actions.create(
            session,
            _as(session, writer),
            ActionCreate(
                title=title,
                description=f"Recommendation of the board of {board_date}: {title.lower()}.",
                meeting_id=board.id,
                owner_agency_id=agencies[slug].id,
                due_date=today + timedelta(days=days),
                priority=Priority.high if days < 0 else Priority.medium,
                tlp=TLP.green,
            ),
        )
        session.flush()
        if reached is not None:
            entry = ActionUpdateIn(note=note, status=ActionStatus(reached))
            progress.add_update(session, writer, action.id, entry, action.version)
        made.append(action)

    later = service.create(
        session,
        writer,
        MeetingCreate(
            title=samples.CREATE["title"],
            held_at=_held(today, LATER_DAYS_AGO),
            location="Police headquarters, conference room",
            chair_user_id=chair.id,
            agenda=[f"Actions from {board_date}", "Prevent referrals", "Ransomware exercise"],
            tlp=TLP.amber,
        ),
    )
    session.flush()
    later = minutes.write(
        session,
        writer,
        later.id,
        MinutesIn(
            body=f"## 1. Actions from {board_date}\n"
            "Draft: the county reported the strategy adopted.\n",
            decisions=["Run a ransomware tabletop exercise with two councils"],
        ),
        later.version,
    )
    exercise = actions.create(
        session,
        writer,
        ActionCreate(
            title="Run a ransomware tabletop exercise with two councils",
            meeting_id=later.id,
            owner_agency_id=agencies["police-cyber"].id,
            due_date=today - timedelta(days=7),
            priority=Priority.medium,
            tlp=TLP.amber,
        ),
    )
    session.flush()
    progress.add_update(
        session,
        writer,
        exercise.id,
        ActionUpdateIn(
            note="Waiting for a date from the councils' IT leads", status=ActionStatus.blocked
        ),
        exercise.version,
    )
    made.append(exercise)
    session.flush()
    return MeetingsDemo(
        meetings=[_summary(m) for m in (board, later)],
        actions=[{"id": str(a.id), "title": a.title, "status": a.status} for a in made],
    )


def _held(today: date, days_ago: int) -> datetime:
    """10:00 UTC, `days_ago` days before `today`."""
    return datetime.combine(today - timedelta(days=days_ago), time(10, 0), tzinfo=UTC)


def _spoken(when: datetime) -> str:
    return f"{when.day} {when:%B %Y}"


def _summary(meeting: Any) -> dict[str, Any]:
    return {
        "id": str(meeting.id),
        "title": meeting.title,
        "held_at": meeting.held_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
