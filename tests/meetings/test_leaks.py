"""Every meeting, action and report endpoint, for every principal of a world of every TLP: a hidden
item answers exactly as a random id, and is never listed (the world of the bulletin tests,
with a meeting, an action and a report twin of each item)."""

import uuid

import pytest

from tests.support import governance
from tests.support.meetings import ACTIONS, MEETINGS, without_request
from tests.support.world import build, token, variants

A, B, C, D = 0, 1, 2, 3
VARIANTS = variants(named_user=4)
STALE = {"If-Match": '"999"'}
MEETING_CALLS = [
    ("GET", "", {}),
    ("GET", "/minutes/revisions", {}),
    ("PATCH", "", {"json": {"title": "Changed"}}),
    ("PUT", "/attendance", {"json": []}),
    ("PUT", "/minutes", {"json": {"body": "x", "decisions": []}}),
    ("POST", "/minutes/approve", {}),
    ("POST", "/minutes/publish", {}),
    ("POST", "/minutes/reopen", {"json": {"reason": "x"}}),
]
REPORTS = "/api/v1/reports"
REPORT_CALLS = [
    ("GET", "", {}),
    ("PATCH", "", {"json": {"outcome": "contained"}}),
    ("POST", "/withdraw", {"json": {"reason": "Reported twice"}}),
    ("POST", "/promote", {}),
]
ACTION_CALLS = [
    ("GET", "", {}),
    ("GET", "/updates", {}),
    ("PATCH", "", {"json": {"status": "in_progress"}}),
    ("POST", "/updates", {"json": {"note": "x"}}),
]


@pytest.fixture
def setting(db):
    users = [
        (A, frozenset({"editor"})),  # 0: the author
        (A, frozenset()),  # 1
        (B, frozenset({"editor"})),  # 2
        (C, frozenset({"editor"})),  # 3: its agency owns every action
        (D, frozenset()),  # 4: named on one RED item
        (D, frozenset({"admin", "auditor"})),  # 5
    ]
    services = [
        (B, frozenset({"meetings:read", "meetings:write", "actions:read", "actions:write"})),
        (C, frozenset({"reports:read", "reports:write", "bulletins:write"})),
        (D, frozenset({"bulletins:read"})),
    ]
    items = [{"author": 0, "status": "published", "owner": C, **v} for v in VARIANTS]
    world = build(db, [True] * 4, users, services, items)
    return world, governance.build(db, world, items)


def _same(body: dict, item_id: object) -> dict:
    return {k: str(v).replace(str(item_id), "ID") for k, v in without_request(body).items()}


@pytest.mark.parametrize(
    ("base", "calls", "kind"),
    [
        (MEETINGS, MEETING_CALLS, "meetings"),
        (ACTIONS, ACTION_CALLS, "actions"),
        (REPORTS, REPORT_CALLS, "reports"),
    ],
)
def test_hidden_items_answer_as_missing_ones_everywhere(client, app, setting, base, calls, kind):
    world, gov = setting
    promoted: set = set()
    for who in world.people:
        headers = token(app.state.tokens, world, who)
        readable = {
            "meetings": gov.readable_meetings,
            "actions": gov.readable_actions,
            "reports": gov.readable_reports,
        }[kind](world, who)
        rows = {
            "meetings": gov.meetings,
            "actions": [a for a, _ in gov.actions],
            "reports": gov.reports,
        }[kind]
        missing = uuid.uuid4()
        unseen = {}
        for method, suffix, kw in calls:
            h = {**headers, **(STALE if method != "GET" else {})}
            r = client.request(method, f"{base}/{missing}{suffix}", headers=h, **kw)
            unseen[(method, suffix)] = (r.status_code, _same(r.json(), missing))
        for item in rows:
            for method, suffix, kw in calls:
                h = {**headers, **(STALE if method != "GET" else {})}
                r = client.request(method, f"{base}/{item.id}{suffix}", headers=h, **kw)
                if item.id not in readable:
                    got = (r.status_code, _same(r.json(), item.id))
                    assert got == unseen[(method, suffix)], (who, item, method, suffix)
                elif method == "GET":
                    expected = 200 if f"{kind}:read" in who.scopes else 403  # the scope
                    assert r.status_code == expected, (who, item, suffix, r.text)
                elif suffix == "/promote":  # needs no If-Match; a second promotion is 409
                    expected = 403
                    if _may_change(who, item, gov, kind):
                        done = item.id in promoted or item.status == "withdrawn"
                        expected = 409 if done else 201
                        promoted.add(item.id)
                    assert r.status_code == expected, (who, item, r.text)
                else:  # a stale If-Match: 412 for whoever may change it, never a change
                    expected = 412 if _may_change(who, item, gov, kind) else 403
                    assert r.status_code == expected, (who, item, method, suffix, r.text)
        listed = client.get(base, params={"limit": 200}, headers=headers)
        if f"{kind}:read" not in who.scopes:
            assert listed.status_code == 403, listed.text
            continue
        assert listed.status_code == 200, listed.text
        assert {x["id"] for x in listed.json()["items"]} == {str(i) for i in readable}


def _may_change(who, item, gov, kind: str) -> bool:
    """An editor (a person with the role, a partner system with the write scope) of the
    agency that recorded the item, or, for an action, of the agency that owns it."""
    if f"{kind}:write" not in who.scopes or (who.kind == "user" and "editor" not in who.roles):
        return False
    owners = {item.agency}
    if kind == "actions":
        owners.add(next(owner for action, owner in gov.actions if action.id == item.id))
    return who.agency in owners
