"""Who reads and who changes an action item; links; hidden items; ETags and idempotency."""

import uuid

import pytest

from tests.support.meetings import (
    ACTIONS,
    MEETINGS,
    action_payload,
    create_action,
    create_meeting,
    if_match,
    post_update,
    same_as_missing,
)


@pytest.fixture
def w(factory):
    creator, reader, owner, third = (factory.agency() for _ in range(4))
    return {
        "creator": creator,
        "reader": reader,
        "owner": owner,
        "third": third,
        "editor": factory.user(creator, roles=["editor"]),
        "creator_member": factory.user(creator),
        "reader_editor": factory.user(reader, roles=["editor"]),
        "owner_editor": factory.user(owner, roles=["editor"]),
        "owner_member": factory.user(owner),
        "third_editor": factory.user(third, roles=["editor"]),
    }


def _strict(client, auth, w):
    """AMBER+STRICT to the reader agency, owned by a third: the owner reads it anyway."""
    return create_action(
        client,
        auth(w["editor"]),
        w["owner"].id,
        tlp="AMBER+STRICT",
        recipient_agencies=[str(w["reader"].id)],
    )


def test_the_owner_agency_reads_and_moves_an_action_not_classified_to_it(client, auth, w):
    action = _strict(client, auth, w)
    url = f"{ACTIONS}/{action['id']}"
    for who in ("owner_editor", "owner_member", "reader_editor"):
        assert client.get(url, headers=auth(w[who])).status_code == 200, who
    listed = client.get(
        ACTIONS, params={"owner_agency_id": str(w["owner"].id)}, headers=auth(w["owner_member"])
    )
    assert [a["id"] for a in listed.json()["items"]] == [action["id"]]
    r = post_update(client, auth(w["owner_editor"]), action, "Started", status="in_progress")
    assert r.status_code == 201, r.text
    action = r.json()["action"]
    r = client.patch(
        url, json={"status": "done"}, headers=if_match(auth(w["owner_editor"]), action)
    )
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "done"


def test_the_owner_may_not_edit_or_cancel(client, auth, w):
    action = _strict(client, auth, w)
    url = f"{ACTIONS}/{action['id']}"
    h = if_match(auth(w["owner_editor"]), action)
    assert client.patch(url, json={"title": "Mine now"}, headers=h).status_code == 403
    assert client.patch(url, json={"tlp": "GREEN"}, headers=h).status_code == 403
    r = post_update(client, auth(w["owner_editor"]), action, "Not for us", status="cancelled")
    assert r.status_code == 403
    r = post_update(client, auth(w["editor"]), action, "Withdrawn by the board", status="cancelled")
    assert r.status_code == 201


def test_a_third_agency_gets_404_everywhere(client, auth, w):
    action = _strict(client, auth, w)
    h = auth(w["third_editor"])
    extra = {"If-Match": f'"{action["version"]}"'}
    same_as_missing(client, h, "GET", ACTIONS, action["id"])
    same_as_missing(client, h, "GET", ACTIONS, action["id"], "/updates")
    same_as_missing(client, h, "PATCH", ACTIONS, action["id"], json={"status": "done"}, extra=extra)
    same_as_missing(
        client, h, "POST", ACTIONS, action["id"], "/updates", json={"note": "x"}, extra=extra
    )
    assert client.get(ACTIONS, headers=h).json()["items"] == []
    for filt in ({"owner_agency_id": str(w["owner"].id)}, {"overdue": "true"}, {"status": "open"}):
        assert client.get(ACTIONS, params=filt, headers=h).json()["items"] == []


def test_a_reader_who_is_neither_owner_nor_creator_gets_403(client, auth, w):
    action = create_action(client, auth(w["editor"]), w["owner"].id, tlp="GREEN")
    url = f"{ACTIONS}/{action['id']}"
    h = if_match(auth(w["third_editor"]), action)
    assert client.get(url, headers=auth(w["third_editor"])).status_code == 200
    assert client.patch(url, json={"status": "in_progress"}, headers=h).status_code == 403
    assert client.patch(url, json={"title": "x"}, headers=h).status_code == 403
    assert post_update(client, auth(w["third_editor"]), action, "Hello").status_code == 403


def test_only_editors_of_the_creating_agency_create_and_edit(client, auth, w):
    r = client.post(ACTIONS, json=action_payload(w["owner"].id), headers=auth(w["creator_member"]))
    assert r.status_code == 403
    action = create_action(client, auth(w["editor"]), w["owner"].id)
    r = client.patch(
        f"{ACTIONS}/{action['id']}",
        json={
            "title": "Ensure partner staff receive cybercrime prevention advice",
            "priority": "low",
        },
        headers=if_match(auth(w["editor"]), action),
    )
    assert r.status_code == 200, r.text
    assert (r.json()["priority"], r.json()["version"]) == ("low", 2)


def test_assignee_belongs_to_the_owner_agency(client, auth, w):
    body = action_payload(w["owner"].id, assignee_user_id=str(w["editor"].id))
    assert client.post(ACTIONS, json=body, headers=auth(w["editor"])).status_code == 422
    body = action_payload(str(uuid.uuid4()))
    assert client.post(ACTIONS, json=body, headers=auth(w["editor"])).status_code == 422
    action = create_action(
        client, auth(w["editor"]), w["owner"].id, assignee_user_id=str(w["owner_member"].id)
    )
    mine = client.get(ACTIONS, params={"assignee": "me"}, headers=auth(w["owner_member"]))
    assert [a["id"] for a in mine.json()["items"]] == [action["id"]]
    theirs = client.get(ACTIONS, params={"assignee": "me"}, headers=auth(w["owner_editor"]))
    assert theirs.json()["items"] == []
    bad = client.get(ACTIONS, params={"assignee": "someone"}, headers=auth(w["owner_editor"]))
    assert bad.status_code == 400


def test_links_to_items_the_creator_cannot_read_are_422_without_saying_why(client, auth, w):
    hidden = create_meeting(client, auth(w["reader_editor"]), tlp="AMBER+STRICT")
    h = auth(w["editor"])
    answers = []
    for meeting_id in (hidden["id"], str(uuid.uuid4())):
        r = client.post(
            ACTIONS, json=action_payload(w["owner"].id, meeting_id=meeting_id), headers=h
        )
        assert r.status_code == 422, r.text
        answers.append({k: v for k, v in r.json().items() if k not in {"request_id", "instance"}})
    assert answers[0] == answers[1]
    r = client.post(
        ACTIONS, json=action_payload(w["owner"].id, bulletin_id=str(uuid.uuid4())), headers=h
    )
    assert r.status_code == 422


def test_links_and_link_filters_follow_the_readers_view(client, auth, w):
    meeting = create_meeting(
        client, auth(w["editor"]), tlp="AMBER+STRICT", recipient_agencies=[str(w["owner"].id)]
    )
    action = create_action(client, auth(w["editor"]), w["owner"].id, meeting_id=meeting["id"])
    assert action["meeting_id"] == meeting["id"]
    owner_view = client.get(f"{ACTIONS}/{action['id']}", headers=auth(w["owner_member"])).json()
    assert owner_view["meeting_id"] == meeting["id"]
    outsider = client.get(f"{ACTIONS}/{action['id']}", headers=auth(w["third_editor"])).json()
    assert outsider["meeting_id"] is None
    by_meeting = {"meeting_id": meeting["id"]}
    got = client.get(ACTIONS, params=by_meeting, headers=auth(w["owner_member"])).json()["items"]
    assert [a["id"] for a in got] == [action["id"]]
    assert (
        client.get(ACTIONS, params=by_meeting, headers=auth(w["third_editor"])).json()["items"]
        == []
    )


def test_patch_and_updates_need_if_match(client, auth, w):
    action = create_action(client, auth(w["editor"]), w["owner"].id)
    url = f"{ACTIONS}/{action['id']}"
    h = auth(w["editor"])
    assert client.patch(url, json={"priority": "low"}, headers=h).status_code == 428
    assert client.patch(url, json={"priority": "low"}, headers=if_match(h, 7)).status_code == 412
    assert client.post(f"{url}/updates", json={"note": "x"}, headers=h).status_code == 428
    stale = client.post(f"{url}/updates", json={"note": "x"}, headers=if_match(h, 7))
    assert stale.status_code == 412
    r = client.get(url, headers=h)
    assert r.headers["etag"] == '"1"'


def test_creates_are_idempotent(client, auth, w):
    h = {**auth(w["editor"]), "Idempotency-Key": "action-1"}
    body = action_payload(w["owner"].id)
    first = client.post(ACTIONS, json=body, headers=h)
    again = client.post(ACTIONS, json=body, headers=h)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again.headers["idempotent-replayed"] == "true"
    assert first.headers["location"] == f"{ACTIONS}/{first.json()['id']}"
    assert len(client.get(ACTIONS, headers=auth(w["editor"])).json()["items"]) == 1
    assert client.post(ACTIONS, json={**body, "title": "Other"}, headers=h).status_code == 422

    action = first.json()
    uh = {**if_match(auth(w["owner_editor"]), action), "Idempotency-Key": "update-1"}
    url = f"{ACTIONS}/{action['id']}/updates"
    one = client.post(url, json={"note": "Started", "status": "in_progress"}, headers=uh)
    two = client.post(url, json={"note": "Started", "status": "in_progress"}, headers=uh)
    assert one.status_code == two.status_code == 201, (one.text, two.text)
    assert one.json() == two.json()
    log = client.get(url, headers=auth(w["owner_editor"])).json()["items"]
    assert len(log) == 1


def test_the_progress_log_is_append_only(client, auth, w, db):
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    from oversight.actions.models import ActionUpdate

    action = create_action(client, auth(w["editor"]), w["owner"].id)
    assert post_update(client, auth(w["editor"]), action, "First").status_code == 201
    url = f"{ACTIONS}/{action['id']}/updates"
    assert client.delete(url, headers=auth(w["editor"])).status_code == 405
    with pytest.raises(DBAPIError), db.begin_nested():
        db.connection().execute(text("UPDATE action_update SET note = 'rewritten'"))
    with pytest.raises(DBAPIError), db.begin_nested():
        db.connection().execute(text("DELETE FROM action_update"))
    entry = db.query(ActionUpdate).one()
    with pytest.raises(RuntimeError):
        db.delete(entry)
        db.flush()
    db.rollback()


def test_meetings_link_their_actions(client, auth, w):
    meeting = create_meeting(client, auth(w["editor"]))
    action = create_action(client, auth(w["editor"]), w["owner"].id, meeting_id=meeting["id"])
    got = client.get(f"{MEETINGS}/{meeting['id']}", headers=auth(w["owner_member"])).json()
    assert [a["id"] for a in got["actions"]] == [action["id"]]
