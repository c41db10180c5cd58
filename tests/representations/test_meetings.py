"""Meetings are listed from stored representations too (issue 18): each reader lists a
meeting exactly as it reads it alone (without the actions only the item shows); the minutes,
a draft only for who writes or approves it, are decided live for the reader, never stored."""

import uuid
from typing import Any

from sqlalchemy import select

from oversight.representations.models import StoredRepresentation
from tests.support.meetings import MEETINGS, create_meeting, if_match, minutes_step, write_minutes


def _listed(client, headers) -> dict[str, dict[str, Any]]:
    r = client.get(MEETINGS, params={"limit": 200}, headers=headers)
    assert r.status_code == 200, r.text
    return {i["id"]: i for i in r.json()["items"]}


def _alone(client, headers, meeting_id: str) -> dict[str, Any]:
    r = client.get(f"{MEETINGS}/{meeting_id}", headers=headers)
    assert r.status_code == 200, r.text
    item = r.json()
    del item["actions"]  # the item alone shows the meeting's actions; lists do not
    return item


def _stored(db, meeting_id: str) -> tuple[int, str]:
    db.expire_all()
    t = StoredRepresentation
    row = db.execute(select(t.version, t.body).where(t.item_id == uuid.UUID(meeting_id))).one()
    return row.version, row.body


def test_draft_minutes_are_listed_only_to_who_may_read_the_draft(client, factory, auth, db):
    owner = factory.agency()
    author = factory.user(owner, roles=["editor"])
    approver = factory.user(owner, roles=["editor"])
    member = factory.user(owner)
    m = create_meeting(client, auth(author), tlp="GREEN")
    m = write_minutes(client, auth(author), m, body="First text")
    m = minutes_step(client, auth(approver), m, "approve").json()
    m = minutes_step(client, auth(approver), m, "publish").json()
    reopen = {"reason": "A correction to item 2"}
    m = minutes_step(client, auth(author), m, "reopen", json=reopen).json()
    m = write_minutes(client, auth(author), m, body="Second text, a draft")
    version, body = _stored(db, m["id"])
    assert version == m["version"] and "text" not in body  # minutes are never stored
    for reader, text in ((author, "Second text, a draft"), (member, "First text")):
        h = auth(reader)
        listed = _listed(client, h)[m["id"]]
        assert listed["minutes"]["body"] == text
        assert listed == _alone(client, h, m["id"])


def test_an_edited_meeting_is_listed_at_its_new_version(client, factory, auth, db):
    owner, other = factory.agency(), factory.agency()
    editor = factory.user(owner, roles=["editor"])
    chair = factory.user(other, roles=["editor"])
    h = auth(editor)
    m = create_meeting(
        client,
        h,
        chair_user_id=str(chair.id),
        attendance=[
            {"agency_id": str(other.id), "status": "present"},
            {"name": "Guest from the resilience centre", "status": "apologies"},
        ],
    )
    r = client.patch(
        f"{MEETINGS}/{m['id']}", json={"title": "Board, rescheduled"}, headers=if_match(h, m)
    )
    assert r.status_code == 200, r.text
    version, body = _stored(db, m["id"])
    assert version == r.json()["version"] and "rescheduled" in body
    for reader in (editor, factory.user(other)):
        hr = auth(reader)
        listed = _listed(client, hr)[m["id"]]
        assert listed["title"] == "Board, rescheduled" and listed["chair"]["id"] == str(chair.id)
        assert listed == _alone(client, hr, m["id"])


def test_meetings_page_by_held_at_from_stored_representations(client, factory, auth):
    owner = factory.agency()
    h = auth(factory.user(owner, roles=["editor"]))
    made = {
        create_meeting(client, h, held_at=f"2031-0{month}-15T10:00:00Z")["id"]
        for month in (3, 1, 2)
    }
    seen, cursor = [], None
    while True:
        params: dict[str, Any] = {"limit": 1, "from": "2031-01-01T00:00:00Z"}
        if cursor:
            params["cursor"] = cursor
        page = client.get(MEETINGS, params=params, headers=h).json()
        seen += [i["held_at"][:7] for i in page["items"] if i["id"] in made]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == ["2031-03", "2031-02", "2031-01"]
