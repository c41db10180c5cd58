"""The demo board meeting, as a logged-in member sees it, and the overdue view."""

from datetime import date, datetime, timedelta

from sqlalchemy import select

from oversight import demo
from oversight.accounts.models import User
from oversight.actions import clock
from oversight.audit.chain import verify
from oversight.demo.meetings import BOARD_DAYS_AGO
from tests.support.meetings import ACTIONS, MEETINGS


def test_a_member_sees_the_board_its_minutes_and_the_overdue_actions(client, db, auth):
    loaded = demo.load(db)
    db.commit()
    member = db.scalars(select(User).where(User.email == "member@eastvale.example")).one()
    h = auth(member)

    board_day = clock.today() - timedelta(days=BOARD_DAYS_AGO)
    until = f"{board_day + timedelta(days=1):%Y-%m-%d}T00:00:00Z"
    listed = client.get(MEETINGS, params={"to": until}, headers=h).json()
    [board] = listed["items"]
    assert board["held_at"] == f"{board_day:%Y-%m-%d}T10:00:00Z"
    got = client.get(f"{MEETINGS}/{board['id']}", headers=h).json()
    assert got["minutes"]["status"] == "published"
    assert "Cyber crime unit update" in got["minutes"]["body"]
    assert len(got["minutes"]["decisions"]) == 4
    assert {a["status"] for a in got["actions"]} == {"done", "in_progress", "open"}
    assert len(got["actions"]) == 4
    assert {e["status"] for e in got["attendance"]} == {"present", "apologies", "absent"}

    overdue = client.get(ACTIONS, params={"overdue": "true"}, headers=h).json()["items"]
    assert {a["title"] for a in overdue} == {
        "Ensure partner staff receive cybercrime prevention advice",
        "Run a ransomware tabletop exercise with two councils",
    }
    assert all(a["rag_status"] == "red" for a in overdue)

    later = next(m for m in loaded.meetings.meetings if m["id"] != board["id"])
    assert client.get(f"{MEETINGS}/{later['id']}", headers=h).json()["minutes"] is None
    assert verify(db).ok


def _day(timestamp: str) -> date:
    return datetime.fromisoformat(timestamp.replace("Z", "+00:00")).date()


def test_the_demo_tells_one_story_in_time_relative_to_today(client, db, auth):
    """Meetings in the last quarter, each action due after the meeting that agreed it, and
    the minutes speaking of the board by its own date."""
    loaded = demo.load(db)
    db.commit()
    today = clock.today()
    member = db.scalars(select(User).where(User.email == "member@eastvale.example")).one()
    h = auth(member)
    held = {m["id"]: _day(m["held_at"]) for m in loaded.meetings.meetings}
    assert all(today - timedelta(days=92) <= day < today for day in held.values()), held
    statuses = set()
    for summary in loaded.meetings.actions:
        action = client.get(f"{ACTIONS}/{summary['id']}", headers=h).json()
        agreed = held[action["meeting_id"]]
        due = date.fromisoformat(action["due_date"])
        assert agreed < due, f"{action['title']}: due {due}, agreed {agreed}"
        statuses.add(action["status"])
    assert {"done", "in_progress", "open", "blocked"} <= statuses
    board_day = min(held.values())
    spoken = f"{board_day.day} {board_day:%B %Y}"
    later = next(m for m, day in held.items() if day > board_day)
    got = client.get(f"{MEETINGS}/{later}", headers=h).json()
    assert f"Actions from {spoken}" in got["agenda"]
