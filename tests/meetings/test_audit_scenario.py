"""A whole board cycle: every change is in the trail, content only as digests, chain intact."""

import json

from sqlalchemy import select

from oversight.audit.chain import verify
from oversight.audit.models import AuditRecord
from tests.support.bulletins import create as create_bulletin
from tests.support.meetings import (
    ACTIONS,
    MEETINGS,
    create_action,
    create_meeting,
    if_match,
    minutes_step,
    post_update,
    write_minutes,
)

SECRET_TEXT = "Operation Lanternfish targets the council payroll"


def test_a_board_cycle_is_fully_audited(client, auth, factory, db):
    secretariat, police = factory.agency(), factory.agency()
    editor = factory.user(secretariat, roles=["editor"])
    chair = factory.user(police, roles=["editor"])
    reader = factory.user(police)
    h = auth(editor)

    m = create_meeting(
        client,
        h,
        title=SECRET_TEXT,
        tlp="AMBER",
        recipient_agencies=[str(police.id)],
        chair_user_id=str(chair.id),
    )
    r = client.put(
        f"{MEETINGS}/{m['id']}/attendance",
        json=[{"agency_id": str(police.id), "status": "present"}],
        headers=if_match(h, m),
    )
    m = r.json()
    m = write_minutes(client, h, m, body=SECRET_TEXT, decisions=[SECRET_TEXT])
    m = minutes_step(client, auth(chair), m, "approve").json()
    m = minutes_step(client, auth(chair), m, "publish").json()
    m = minutes_step(client, h, m, "reopen", json={"reason": "Correct the attendance"}).json()
    assert client.get(f"{MEETINGS}/{m['id']}", headers=auth(reader)).status_code == 200

    bulletin = create_bulletin(client, h)
    action = create_action(
        client,
        h,
        police.id,
        title=SECRET_TEXT,
        meeting_id=m["id"],
        bulletin_id=bulletin["id"],
        tlp="AMBER",
    )
    assert action["bulletin_id"] == bulletin["id"]
    moved = post_update(client, auth(chair), action, note=SECRET_TEXT, status="in_progress")
    action = moved.json()["action"]
    r = client.patch(
        f"{ACTIONS}/{action['id']}",
        json={"tlp": "AMBER+STRICT", "recipient_agencies": []},
        headers=if_match(h, action),
    )
    assert r.status_code == 200, r.text

    db.expire_all()
    trail = list(db.scalars(select(AuditRecord).order_by(AuditRecord.seq)))
    actions = [(rec.action, rec.resource_id) for rec in trail]
    for expected in [
        ("meeting.create", m["id"]),
        ("meeting.attendance_change", m["id"]),
        ("meeting.read", m["id"]),
        ("action.create", action["id"]),
        ("action.status_change", action["id"]),
        ("action.reclassify", action["id"]),
    ]:
        assert expected in actions, expected
    names = [rec.action for rec in trail]
    for expected in [
        "minutes.create",
        "minutes.approve",
        "minutes.publish",
        "minutes.reopen",
        "action_update.create",
    ]:
        assert expected in names, expected
    reclass = next(rec for rec in trail if rec.action == "action.reclassify")
    assert reclass.changes["tlp"] == {"before": "AMBER", "after": "AMBER+STRICT"}
    approve = next(rec for rec in trail if rec.action == "minutes.approve")
    assert approve.actor_id == str(chair.id)
    # Content appears only as digests.
    dumped = json.dumps([rec.changes for rec in trail])
    assert SECRET_TEXT not in dumped
    created = next(rec for rec in trail if rec.action == "minutes.create")
    assert set(created.changes["body"]) == {"after_sha256"}
    assert set(created.changes["decisions"]) == {"after_sha256"}
    assert verify(db).ok
