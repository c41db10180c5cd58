"""The outbox: one content-free event per change, in the change's transaction, numbered in
commit order; nothing for a change that rolls back."""

import uuid

from sqlalchemy import select

from oversight.changes.models import ChangeEvent
from tests.support.bulletins import API, create, publish
from tests.support.meetings import (
    create_action,
    create_meeting,
    if_match,
    minutes_step,
    post_update,
    write_minutes,
)


def _events(db, resource_id):
    rows = db.scalars(
        select(ChangeEvent)
        .where(ChangeEvent.resource_id == resource_id)
        .order_by(ChangeEvent.position)
    ).all()
    return [(e.type, e.resource_type, e.version) for e in rows], [e.position for e in rows]


def test_bulletin_lifecycle_is_announced_in_order(client, factory, auth, db):
    h = auth(factory.user(roles=["editor"]))
    b = create(client, h, tlp="AMBER")
    r = client.patch(f"{API}/{b['id']}", json={"severity": "critical"}, headers=if_match(h, b))
    b = publish(client, h, r.json())
    r = client.post(f"{API}/{b['id']}/withdraw", json={"reason": "Gone"}, headers=if_match(h, b))
    assert r.status_code == 200, r.text
    kinds, positions = _events(db, uuid.UUID(b["id"]))
    assert kinds == [
        ("bulletin.created", "bulletin", 1),
        ("bulletin.updated", "bulletin", 2),
        ("bulletin.published", "bulletin", 3),
        ("bulletin.withdrawn", "bulletin", 4),
    ]
    assert None not in positions and positions == sorted(set(positions))


def test_meetings_minutes_and_actions_are_announced(client, factory, auth, db):
    editor = factory.user(roles=["editor"])
    h = auth(editor)
    m = create_meeting(client, h, chair_user_id=None)
    write_minutes(client, h, m)
    m = client.get(f"/api/v1/meetings/{m['id']}", headers=h).json()
    second = factory.user(roles=["editor"])
    second.agency_id = editor.agency_id
    db.commit()
    h2 = auth(second)
    assert minutes_step(client, h2, m, "approve").status_code == 200
    m = client.get(f"/api/v1/meetings/{m['id']}", headers=h).json()
    assert minutes_step(client, h, m, "publish").status_code == 200
    kinds, _ = _events(db, uuid.UUID(m["id"]))
    assert [k for k, _, _ in kinds] == [
        "meeting.created",
        "meeting.minutes_drafted",
        "meeting.minutes_approved",
        "meeting.minutes_published",
    ]
    assert {t for _, t, _ in kinds} == {"meeting"}

    a = create_action(client, h, editor.agency_id)
    r = post_update(client, h, a, status="in_progress")
    assert r.status_code == 201, r.text
    a2 = client.get(f"/api/v1/actions/{a['id']}", headers=h).json()
    r = client.patch(
        f"/api/v1/actions/{a['id']}", json={"priority": "low"}, headers=if_match(h, a2)
    )
    assert r.status_code == 200, r.text
    kinds, _ = _events(db, uuid.UUID(a["id"]))
    assert kinds == [
        ("action.created", "action", 1),
        ("action.status_changed", "action", 2),
        ("action.updated", "action", 3),
    ]


def test_a_change_that_fails_leaves_no_event(client, factory, auth, db):
    h = auth(factory.user(roles=["editor"]))
    before = db.scalar(select(ChangeEvent.position).order_by(ChangeEvent.position.desc()))
    r = client.post(API, json={"title": "x"}, headers=h)
    assert r.status_code == 422
    b = create(client, h)
    r = client.post(f"{API}/{b['id']}/publish", headers=if_match(h, 99))
    assert r.status_code == 412
    rows = db.scalars(select(ChangeEvent).where(ChangeEvent.position > (before or 0))).all()
    assert [e.type for e in rows] == ["bulletin.created"]
