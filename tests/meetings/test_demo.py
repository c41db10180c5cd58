"""The demo board meeting, as a logged-in member sees it, and the overdue view."""

from sqlalchemy import select

from oversight import demo
from oversight.audit.chain import verify
from oversight.users.models import User
from tests.support.meetings import ACTIONS, MEETINGS


def test_a_member_sees_the_board_its_minutes_and_the_overdue_actions(client, db, auth):
    loaded = demo.load(db)
    db.commit()
    member = db.scalars(select(User).where(User.email == "member@eastvale.example")).one()
    h = auth(member)

    listed = client.get(MEETINGS, params={"to": "2020-07-01T00:00:00Z"}, headers=h).json()
    [board] = listed["items"]
    assert board["held_at"] == "2020-06-26T10:00:00Z"
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

    later = next(m for m in loaded.meetings.meetings if m["held_at"].startswith("2020-09"))
    assert client.get(f"{MEETINGS}/{later['id']}", headers=h).json()["minutes"] is None
    assert verify(db).ok
