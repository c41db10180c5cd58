"""rag_status and overdue, derived at read time from a frozen "today" (UTC)."""

from datetime import date, timedelta

import pytest

from oversight.actions import clock
from tests.support.meetings import ACTIONS, create_action, post_update

TODAY = date(2020, 7, 1)


@pytest.fixture
def frozen(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: TODAY)
    return TODAY


@pytest.fixture
def people(factory):
    agency = factory.agency()
    return agency, factory.user(agency, roles=["editor"])


def _due(client, auth, people, days: int | None, **kw):
    due = None if days is None else (TODAY + timedelta(days=days)).isoformat()
    return create_action(client, auth(people[1]), people[0].id, due_date=due, **kw)


@pytest.mark.parametrize(
    ("days", "rag", "overdue"),
    [
        (-30, "red", True),
        (-1, "red", True),
        (0, "amber", False),
        (7, "amber", False),
        (8, "green", False),
        (None, "green", False),
    ],
)
def test_rag_at_the_boundaries(client, auth, people, frozen, days, rag, overdue):
    action = _due(client, auth, people, days)
    got = client.get(f"{ACTIONS}/{action['id']}", headers=auth(people[1])).json()
    assert (got["rag_status"], got["overdue"]) == (rag, overdue)


@pytest.mark.parametrize("closing", ["done", "cancelled"])
def test_closed_items_have_no_rag_and_are_never_overdue(client, auth, people, frozen, closing):
    action = _due(client, auth, people, -10)
    r = post_update(client, auth(people[1]), action, status=closing)
    assert r.status_code == 201, r.text
    assert (r.json()["action"]["rag_status"], r.json()["action"]["overdue"]) == (None, False)


def test_rag_moves_with_the_clock_and_is_never_stored(client, auth, people, monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: TODAY)
    action = _due(client, auth, people, 8)
    assert action["rag_status"] == "green"
    monkeypatch.setattr(clock, "today", lambda: TODAY + timedelta(days=1))
    got = client.get(f"{ACTIONS}/{action['id']}", headers=auth(people[1])).json()
    assert got["rag_status"] == "amber"
    monkeypatch.setattr(clock, "today", lambda: TODAY + timedelta(days=9))
    got = client.get(f"{ACTIONS}/{action['id']}", headers=auth(people[1])).json()
    assert (got["rag_status"], got["overdue"]) == ("red", True)


def test_overdue_and_due_before_filters(client, auth, people, frozen):
    late = _due(client, auth, people, -1)
    today = _due(client, auth, people, 0)
    later = _due(client, auth, people, 8)
    undated = _due(client, auth, people, None)
    closed = _due(client, auth, people, -5)
    assert post_update(client, auth(people[1]), closed, status="done").status_code == 201

    def ids(**params):
        r = client.get(ACTIONS, params=params, headers=auth(people[1]))
        assert r.status_code == 200, r.text
        return {a["id"] for a in r.json()["items"]}

    assert ids(overdue="true") == {late["id"]}
    assert ids(overdue="false") == {today["id"], later["id"], undated["id"], closed["id"]}
    assert ids(due_before=TODAY.isoformat()) == {late["id"], closed["id"]}
    assert ids(due_before=(TODAY + timedelta(days=1)).isoformat()) == {
        late["id"],
        today["id"],
        closed["id"],
    }
    assert ids(status="done") == {closed["id"]}
    assert (
        client.get(ACTIONS, params={"due_before": "soon"}, headers=auth(people[1])).status_code
        == 400
    )
