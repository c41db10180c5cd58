"""Every status transition, legal and illegal; notes for reopening; closed_at."""

import itertools

import pytest

from oversight.actions.status import TRANSITIONS, ActionStatus
from tests.support.meetings import ACTIONS, create_action, if_match, post_update

S = ActionStatus
# A legal path from `open` to each status, taken by the creating agency's editor.
PATH = {
    S.open: [],
    S.in_progress: [S.in_progress],
    S.blocked: [S.blocked],
    S.done: [S.done],
    S.cancelled: [S.cancelled],
}


@pytest.fixture
def people(factory):
    agency = factory.agency()
    return agency, factory.user(agency, roles=["editor"])


def _at(client, auth, people, status):
    agency, editor = people
    action = create_action(client, auth(editor), agency.id)
    for step in PATH[status]:
        r = post_update(client, auth(editor), action, note=f"to {step}", status=step)
        assert r.status_code == 201, r.text
        action = r.json()["action"]
    assert action["status"] == status
    return action


def test_the_table_is_complete():
    assert set(TRANSITIONS) == set(S)
    assert S.done in TRANSITIONS[S.open] and S.open in TRANSITIONS[S.done]


@pytest.mark.parametrize(
    ("current", "target"), [(a, b) for a, b in itertools.product(S, S) if a != b]
)
def test_transition(client, auth, people, current, target):
    action = _at(client, auth, people, current)
    r = post_update(client, auth(people[1]), action, note="Moving on", status=target)
    if target in TRANSITIONS[current]:
        assert r.status_code == 201, r.text
        moved = r.json()
        assert (moved["from_status"], moved["to_status"]) == (current, target)
        assert moved["action"]["status"] == target
        closed = target in {S.done, S.cancelled}
        assert (moved["action"]["closed_at"] is not None) == closed
        assert (moved["action"]["rag_status"] is None) == closed
    else:
        assert r.status_code == 409, r.text
        detail = r.json()["detail"]
        assert all(str(s) in detail for s in TRANSITIONS[current]), detail
        assert r.json()["allowed"] == [str(s) for s in TRANSITIONS[current]]
        again = client.get(f"{ACTIONS}/{action['id']}", headers=auth(people[1])).json()
        assert again["status"] == current and again["version"] == action["version"]


@pytest.mark.parametrize("closed", [S.done, S.cancelled])
def test_reopening_needs_a_note(client, auth, people, closed):
    action = _at(client, auth, people, closed)
    url = f"{ACTIONS}/{action['id']}"
    r = client.patch(url, json={"status": "open"}, headers=if_match(auth(people[1]), action))
    assert r.status_code == 422, r.text
    assert "note" in r.json()["detail"]
    r = client.patch(
        url,
        json={"status": "open", "note": "The referral form was withdrawn; redo it"},
        headers=if_match(auth(people[1]), action),
    )
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "open" and r.json()["closed_at"] is None
    log = client.get(f"{url}/updates", headers=auth(people[1])).json()["items"]
    assert (log[0]["from_status"], log[0]["to_status"]) == (closed, "open")
    assert log[0]["note"] == "The referral form was withdrawn; redo it"


def test_a_status_change_by_patch_is_logged_and_a_same_status_is_no_change(client, auth, people):
    action = _at(client, auth, people, S.open)
    url = f"{ACTIONS}/{action['id']}"
    r = client.patch(url, json={"status": "open"}, headers=if_match(auth(people[1]), action))
    assert r.status_code == 200 and r.json()["version"] == action["version"]
    r = client.patch(url, json={"status": "done"}, headers=if_match(auth(people[1]), action))
    assert r.status_code == 200, r.text
    log = client.get(f"{url}/updates", headers=auth(people[1])).json()["items"]
    assert [(e["from_status"], e["to_status"], e["note"]) for e in log] == [("open", "done", None)]
    r = client.patch(url, json={"note": "orphan"}, headers=if_match(auth(people[1]), r.json()))
    assert r.status_code == 422


def test_a_note_alone_changes_no_status_but_is_a_new_version(client, auth, people):
    action = _at(client, auth, people, S.in_progress)
    r = post_update(client, auth(people[1]), action, note="Met the Prevent lead")
    assert r.status_code == 201, r.text
    assert r.json()["from_status"] is None and r.json()["to_status"] is None
    assert r.json()["action"]["status"] == "in_progress"
    assert r.json()["action"]["version"] == action["version"] + 1
