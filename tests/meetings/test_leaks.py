"""Every meeting and action endpoint, for every principal of a world of every TLP: a hidden
item answers exactly as a random id, and is never listed (the world of the bulletin tests,
with a meeting and an action twin of each item)."""

import uuid

import pytest

from tests.bulletins.world import build, token
from tests.meetings import world as governance
from tests.meetings.helpers import ACTIONS, MEETINGS, without_request

A, B, C, D = 0, 1, 2, 3
VARIANTS = [
    {"tlp": "CLEAR"},
    {"tlp": "GREEN"},
    {"tlp": "AMBER"},
    {"tlp": "AMBER", "agencies": {B}},
    {"tlp": "AMBER+STRICT"},
    {"tlp": "AMBER+STRICT", "agencies": {B}},
    {"tlp": "RED"},
    {"tlp": "RED", "users": {4}},
]
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
                    assert r.status_code in (200, 403), r.text  # 403: the scope, as for any id
                elif suffix == "/promote":  # needs no If-Match: its writers may promote
                    assert r.status_code in (201, 403, 409), r.text
                else:
                    assert r.status_code in (403, 412), r.text  # never changed
        listed = client.get(base, params={"limit": 200}, headers=headers)
        if listed.status_code == 200:
            assert {x["id"] for x in listed.json()["items"]} == {str(i) for i in readable}
