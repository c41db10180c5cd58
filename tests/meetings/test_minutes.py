"""The minutes workflow: four eyes, edits only while draft, publish after approval, reopen."""

import pytest

from tests.support.meetings import (
    MEETINGS,
    create_meeting,
    if_match,
    minutes_step,
    write_minutes,
)


@pytest.fixture
def board(factory):
    owner = factory.agency()
    other = factory.agency()
    people = {
        "author": factory.user(owner, roles=["editor"]),
        "editor": factory.user(owner, roles=["editor"]),
        "member": factory.user(owner),
        "chair": factory.user(other, roles=["editor"]),
        "outsider": factory.user(other, roles=["editor"]),
    }
    return owner, other, people


def _meeting(client, auth, people, **kw):
    return create_meeting(
        client, auth(people["author"]), chair_user_id=str(people["chair"].id), **kw
    )


def test_the_author_may_not_approve_their_own_draft(client, auth, board):
    _, _, people = board
    m = write_minutes(client, auth(people["author"]), _meeting(client, auth, people))
    r = minutes_step(client, auth(people["author"]), m, "approve")
    assert r.status_code == 403, r.text
    assert "four eyes" in r.json()["detail"]
    r = minutes_step(client, auth(people["editor"]), m, "approve")
    assert r.status_code == 200, r.text
    minutes = r.json()["minutes"]
    assert minutes["status"] == "approved"
    assert minutes["approved_by"] == str(people["editor"].id)
    assert minutes["approved_at"]
    assert r.json()["version"] == m["version"] + 1
    assert r.headers["etag"] == f'"{m["version"] + 1}"'


def test_the_chair_of_another_agency_approves(client, auth, board):
    _, _, people = board
    m = write_minutes(client, auth(people["author"]), _meeting(client, auth, people))
    r = minutes_step(client, auth(people["chair"]), m, "approve")
    assert r.status_code == 200, r.text
    assert r.json()["minutes"]["approved_by"] == str(people["chair"].id)


def test_the_chair_who_wrote_the_draft_may_not_approve_it(client, auth, factory, board):
    owner, _, _ = board
    chair = factory.user(owner, roles=["editor"])
    m = create_meeting(client, auth(chair), chair_user_id=str(chair.id))
    m = write_minutes(client, auth(chair), m)
    assert minutes_step(client, auth(chair), m, "approve").status_code == 403


def test_every_writer_of_the_draft_is_excluded(client, auth, board):
    _, _, people = board
    m = write_minutes(client, auth(people["author"]), _meeting(client, auth, people))
    m = write_minutes(client, auth(people["editor"]), m, body="Amended by a second editor")
    assert m["minutes"]["drafted_by"] == [str(people["author"].id), str(people["editor"].id)]
    assert minutes_step(client, auth(people["editor"]), m, "approve").status_code == 403
    assert minutes_step(client, auth(people["chair"]), m, "approve").status_code == 200


def test_who_else_may_not_approve(client, auth, factory, board):
    owner, _, people = board
    m = write_minutes(client, auth(people["author"]), _meeting(client, auth, people))
    # A reader of another agency who is not the chair: readable, not approvable.
    r = minutes_step(client, auth(people["outsider"]), m, "approve")
    assert r.status_code == 403 and "chair" in r.json()["detail"]
    # A member lacks meetings:write.
    assert minutes_step(client, auth(people["member"]), m, "approve").status_code == 403
    # A partner system of the owning agency writes, but approval is a person's act.
    sa = factory.service_account(owner, scopes=["meetings:read", "meetings:write"])
    assert minutes_step(client, auth(sa), m, "approve").status_code == 403


def test_minutes_cannot_be_edited_after_approval(client, auth, board):
    _, _, people = board
    m = write_minutes(client, auth(people["author"]), _meeting(client, auth, people))
    m = minutes_step(client, auth(people["editor"]), m, "approve").json()
    r = client.put(
        f"{MEETINGS}/{m['id']}/minutes",
        json={"body": "Quietly changed", "decisions": []},
        headers=if_match(auth(people["author"]), m),
    )
    assert r.status_code == 409, r.text
    assert "reopen" in r.json()["detail"]
    again = client.get(f"{MEETINGS}/{m['id']}", headers=auth(people["member"])).json()
    assert again["minutes"]["body"] == m["minutes"]["body"]


def test_publishing_needs_approval(client, auth, board):
    _, _, people = board
    m = _meeting(client, auth, people)
    assert minutes_step(client, auth(people["editor"]), m, "publish").status_code == 409
    m = write_minutes(client, auth(people["author"]), m)
    r = minutes_step(client, auth(people["editor"]), m, "publish")
    assert r.status_code == 409 and "approved" in r.json()["detail"]
    m = minutes_step(client, auth(people["editor"]), m, "approve").json()
    r = minutes_step(client, auth(people["chair"]), m, "publish")
    assert r.status_code == 200, r.text
    assert r.json()["minutes"]["status"] == "published"
    assert r.json()["minutes"]["published_at"]
    assert minutes_step(client, auth(people["chair"]), r.json(), "publish").status_code == 409
    assert minutes_step(client, auth(people["chair"]), r.json(), "approve").status_code == 409


def test_reopen_keeps_the_approved_text_readable(client, auth, board):
    _, _, people = board
    m = write_minutes(client, auth(people["author"]), _meeting(client, auth, people))
    m = minutes_step(client, auth(people["editor"]), m, "approve").json()
    m = minutes_step(client, auth(people["editor"]), m, "publish").json()
    approved_text = m["minutes"]["body"]

    r = minutes_step(client, auth(people["author"]), m, "reopen", json={})
    assert r.status_code == 422
    r = minutes_step(client, auth(people["author"]), m, "reopen", json={"reason": "Typo in item 2"})
    assert r.status_code == 200, r.text
    m = r.json()
    assert m["minutes"]["version"] == 2
    assert m["minutes"]["status"] == "draft"
    assert m["minutes"]["reopen_reason"] == "Typo in item 2"
    assert m["minutes"]["body"] == approved_text
    assert (
        minutes_step(client, auth(people["author"]), m, "reopen", json={"reason": "x"}).status_code
        == 409
    )

    m = write_minutes(client, auth(people["author"]), m, body="Corrected text")
    # A reader who neither writes nor approves still reads the published version.
    seen = client.get(f"{MEETINGS}/{m['id']}", headers=auth(people["outsider"])).json()
    assert seen["minutes"]["version"] == 1
    assert seen["minutes"]["body"] == approved_text
    revisions = client.get(
        f"{MEETINGS}/{m['id']}/minutes/revisions", headers=auth(people["outsider"])
    )
    assert revisions.status_code == 200, revisions.text
    assert [(v["version"], v["body"]) for v in revisions.json()["items"]] == [(1, approved_text)]

    m = minutes_step(client, auth(people["chair"]), m, "approve").json()
    revisions = client.get(
        f"{MEETINGS}/{m['id']}/minutes/revisions", headers=auth(people["member"])
    )
    items = revisions.json()["items"]
    assert [(v["version"], v["status"]) for v in items] == [(2, "approved"), (1, "published")]
    assert items[0]["body"] == "Corrected text"


def test_draft_minutes_are_shown_only_to_writers_and_approvers(client, auth, board):
    _, _, people = board
    m = write_minutes(client, auth(people["author"]), _meeting(client, auth, people))
    for who in ("author", "editor", "chair"):
        got = client.get(f"{MEETINGS}/{m['id']}", headers=auth(people[who])).json()
        assert got["minutes"]["status"] == "draft", who
    for who in ("member", "outsider"):
        got = client.get(f"{MEETINGS}/{m['id']}", headers=auth(people[who])).json()
        assert got["minutes"] is None, who
    listed = client.get(MEETINGS, headers=auth(people["outsider"])).json()["items"]
    assert [x["minutes"] for x in listed if x["id"] == m["id"]] == [None]


def test_minutes_writes_need_the_current_etag(client, auth, board):
    _, _, people = board
    m = _meeting(client, auth, people)
    url = f"{MEETINGS}/{m['id']}/minutes"
    body = {"body": "Draft", "decisions": []}
    assert client.put(url, json=body, headers=auth(people["author"])).status_code == 428
    stale = if_match(auth(people["author"]), m["version"] + 5)
    assert client.put(url, json=body, headers=stale).status_code == 412
    m = write_minutes(client, auth(people["author"]), m)
    for step in ("approve", "publish", "reopen"):
        kw = {"json": {"reason": "r"}} if step == "reopen" else {}
        r = client.post(f"{url}/{step}", headers=auth(people["editor"]), **kw)
        assert r.status_code == 428, (step, r.text)
        r = client.post(f"{url}/{step}", headers=if_match(auth(people["editor"]), 1), **kw)
        assert r.status_code == 412, (step, r.text)


def test_decisions_are_stored_with_the_minutes(client, auth, board):
    _, _, people = board
    decisions = ["Adopt the strategy", "Review in September"]
    m = write_minutes(
        client, auth(people["author"]), _meeting(client, auth, people), decisions=decisions
    )
    got = client.get(f"{MEETINGS}/{m['id']}", headers=auth(people["editor"])).json()
    assert got["minutes"]["decisions"] == decisions
    r = client.put(
        f"{MEETINGS}/{m['id']}/minutes",
        json={"body": "x", "decisions": [""]},
        headers=if_match(auth(people["author"]), got),
    )
    assert r.status_code == 422
