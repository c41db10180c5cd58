"""Meetings: create, list, read, edit, attendance; ETags, idempotency and hidden meetings."""

import uuid

import pytest

from tests.support.meetings import (
    MEETINGS,
    create_action,
    create_meeting,
    if_match,
    meeting_payload,
    same_as_missing,
    write_minutes,
)


@pytest.fixture
def world(factory):
    a, b, c = factory.agency(), factory.agency(), factory.agency()
    return {
        "a": a,
        "b": b,
        "c": c,
        "editor": factory.user(a, roles=["editor"]),
        "member": factory.user(a),
        "b_editor": factory.user(b, roles=["editor"]),
        "c_member": factory.user(c),
    }


def test_create_answers_the_meeting_with_etag_and_location(client, auth, world):
    r = client.post(MEETINGS, json=meeting_payload(), headers=auth(world["editor"]))
    assert r.status_code == 201, r.text
    m = r.json()
    assert r.headers["location"] == f"{MEETINGS}/{m['id']}"
    assert r.headers["etag"] == '"1"'
    assert m["agency_id"] == str(world["a"].id)
    assert m["author_id"] == str(world["editor"].id)
    assert m["held_at"] == "2020-06-26T10:00:00Z"
    assert m["minutes"] is None and m["actions"] == []
    assert m["protective_marking"] == "OFFICIAL"


def test_only_editors_create(client, auth, world, factory):
    r = client.post(MEETINGS, json=meeting_payload(), headers=auth(world["member"]))
    assert r.status_code == 403
    sa = factory.service_account(world["a"], scopes=["meetings:read", "meetings:write"])
    assert client.post(MEETINGS, json=meeting_payload(), headers=auth(sa)).status_code == 201


@pytest.mark.parametrize(
    "change",
    [
        {"protective_marking": "SECRET"},
        {"held_at": "2020-06-26T10:00:00"},  # no time zone
        {"unknown": 1},
        {"title": ""},
        {"chair_user_id": str(uuid.uuid4())},
        {"tlp": "GREEN", "recipient_agencies": [str(uuid.uuid4())]},
        {"tlp": "AMBER", "recipient_agencies": [str(uuid.uuid4())]},
        {"attendance": [{"status": "present"}]},
        {"attendance": [{"agency_id": str(uuid.uuid4()), "status": "present"}]},
    ],
)
def test_bad_meetings_are_422(client, auth, world, change):
    r = client.post(MEETINGS, json=meeting_payload(**change), headers=auth(world["editor"]))
    assert r.status_code == 422, r.text
    if "protective_marking" in change:
        assert "OFFICIAL-SENSITIVE" in r.text


def test_idempotent_create(client, auth, world):
    headers = {**auth(world["editor"]), "Idempotency-Key": "board-2020-06"}
    first = client.post(MEETINGS, json=meeting_payload(), headers=headers)
    again = client.post(MEETINGS, json=meeting_payload(), headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    listed = client.get(MEETINGS, headers=auth(world["editor"])).json()["items"]
    assert [m["id"] for m in listed] == [first.json()["id"]]
    other = client.post(MEETINGS, json=meeting_payload(title="Other"), headers=headers)
    assert other.status_code == 422


def test_patch_needs_if_match_and_bumps_the_version(client, auth, world):
    m = create_meeting(client, auth(world["editor"]))
    url = f"{MEETINGS}/{m['id']}"
    change = {"title": "Strategic oversight board (extraordinary)"}
    assert client.patch(url, json=change, headers=auth(world["editor"])).status_code == 428
    r = client.patch(url, json=change, headers=if_match(auth(world["editor"]), 9))
    assert r.status_code == 412
    r = client.patch(url, json=change, headers=if_match(auth(world["editor"]), m))
    assert r.status_code == 200, r.text
    assert r.json()["title"] == change["title"]
    assert r.headers["etag"] == '"2"'
    assert client.get(url, headers=auth(world["member"])).headers["etag"] == '"2"'
    r = client.patch(url, json={"title": None}, headers=if_match(auth(world["editor"]), 2))
    assert r.status_code == 422


def test_readers_who_are_not_editors_of_the_owner_get_403(client, auth, world):
    m = create_meeting(client, auth(world["editor"]))
    for who in ("b_editor", "member"):
        r = client.patch(
            f"{MEETINGS}/{m['id']}", json={"title": "x"}, headers=if_match(auth(world[who]), m)
        )
        assert r.status_code == 403, who
        r = client.put(
            f"{MEETINGS}/{m['id']}/attendance", json=[], headers=if_match(auth(world[who]), m)
        )
        assert r.status_code == 403, who


def test_attendance_is_replaced_whole(client, auth, world):
    m = create_meeting(client, auth(world["editor"]))
    url = f"{MEETINGS}/{m['id']}/attendance"
    entries = [
        {"agency_id": str(world["a"].id), "status": "present"},
        {"agency_id": str(world["b"].id), "name": "DI Jones", "status": "apologies"},
        {"name": "Independent adviser", "status": "absent"},
    ]
    assert client.put(url, json=entries, headers=auth(world["editor"])).status_code == 428
    r = client.put(url, json=entries, headers=if_match(auth(world["editor"]), m))
    assert r.status_code == 200, r.text
    assert r.json()["attendance"] == [
        {"agency_id": str(world["a"].id), "name": world["a"].name, "status": "present"},
        {"agency_id": str(world["b"].id), "name": "DI Jones", "status": "apologies"},
        {"agency_id": None, "name": "Independent adviser", "status": "absent"},
    ]
    assert r.json()["version"] == 2
    bad = [{"name": "Someone", "status": "late"}]
    assert client.put(url, json=bad, headers=if_match(auth(world["editor"]), 2)).status_code == 422


def test_list_filters(client, auth, world):
    early = create_meeting(client, auth(world["editor"]), held_at="2020-06-26T10:00:00Z")
    late = create_meeting(client, auth(world["editor"]), held_at="2020-09-25T10:00:00Z")
    theirs = create_meeting(client, auth(world["b_editor"]), held_at="2020-07-10T10:00:00Z")
    h = auth(world["c_member"])

    def ids(**params):
        r = client.get(MEETINGS, params=params, headers=h)
        assert r.status_code == 200, r.text
        return [m["id"] for m in r.json()["items"]]

    assert ids() == [late["id"], theirs["id"], early["id"]]
    assert ids(**{"from": "2020-07-01T00:00:00Z"}) == [late["id"], theirs["id"]]
    assert ids(to="2020-09-25T10:00:00Z") == [theirs["id"], early["id"]]
    assert ids(agency_id=str(world["b"].id)) == [theirs["id"]]
    assert ids(limit=1) == [late["id"]]
    assert client.get(MEETINGS, params={"from": "yesterday"}, headers=h).status_code == 400
    assert client.get(MEETINGS, params={"cursor": "garbage"}, headers=h).status_code == 400


def test_hidden_meetings_are_404_everywhere_and_never_listed(client, auth, world):
    m = create_meeting(
        client, auth(world["editor"]), tlp="AMBER+STRICT", recipient_agencies=[str(world["b"].id)]
    )
    m = write_minutes(client, auth(world["editor"]), m)
    assert client.get(f"{MEETINGS}/{m['id']}", headers=auth(world["b_editor"])).status_code == 200
    h = auth(world["c_member"])
    same_as_missing(client, h, "GET", MEETINGS, m["id"])
    same_as_missing(client, h, "GET", MEETINGS, m["id"], "/minutes/revisions")
    assert m["id"] not in [x["id"] for x in client.get(MEETINGS, headers=h).json()["items"]]
    everyone = client.get(MEETINGS, params={"agency_id": str(world["a"].id)}, headers=h)
    assert everyone.json()["items"] == []


def test_hidden_meetings_refuse_every_write_as_missing(client, auth, world, factory):
    m = create_meeting(client, auth(world["editor"]), tlp="AMBER+STRICT")
    stranger = auth(factory.user(world["c"], roles=["editor"]))
    w = {"If-Match": f'"{m["version"]}"'}
    same_as_missing(client, stranger, "PATCH", MEETINGS, m["id"], json={"title": "x"}, extra=w)
    same_as_missing(client, stranger, "PUT", MEETINGS, m["id"], "/attendance", json=[], extra=w)
    body = {"body": "x", "decisions": []}
    same_as_missing(client, stranger, "PUT", MEETINGS, m["id"], "/minutes", json=body, extra=w)
    for step in ("approve", "publish"):
        same_as_missing(client, stranger, "POST", MEETINGS, m["id"], f"/minutes/{step}", extra=w)
    reason = {"reason": "x"}
    same_as_missing(
        client, stranger, "POST", MEETINGS, m["id"], "/minutes/reopen", json=reason, extra=w
    )
    listed = client.get(MEETINGS, headers=stranger).json()["items"]
    assert m["id"] not in [x["id"] for x in listed]


def test_meeting_shows_only_the_actions_the_caller_may_see(client, auth, world, factory):
    m = create_meeting(client, auth(world["editor"]))
    open_to_all = create_action(client, auth(world["editor"]), world["a"].id, meeting_id=m["id"])
    for_a = create_action(
        client, auth(world["editor"]), world["a"].id, meeting_id=m["id"], tlp="AMBER+STRICT"
    )
    for_b = create_action(
        client, auth(world["editor"]), world["b"].id, meeting_id=m["id"], tlp="AMBER+STRICT"
    )

    def action_ids(user):
        got = client.get(f"{MEETINGS}/{m['id']}", headers=auth(user)).json()["actions"]
        return {a["id"] for a in got}

    assert action_ids(world["member"]) == {open_to_all["id"], for_a["id"], for_b["id"]}
    assert action_ids(world["b_editor"]) == {open_to_all["id"], for_b["id"]}
    assert action_ids(world["c_member"]) == {open_to_all["id"]}
    sa = factory.service_account(world["c"], scopes=["meetings:read"])
    got = client.get(f"{MEETINGS}/{m['id']}", headers=auth(sa))
    assert got.status_code == 200 and got.json()["actions"] is None
