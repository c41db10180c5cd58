"""The leak matrix: principal kind x TLP x recipients x draft/published. An event reaches a
webhook, and the change feed, only if its principal may read the item at that moment; RED
never reaches a service account. The expectations are written from contract §4 here, not
computed by the policy under test."""

import json

import pytest

from tests.support.bulletins import create, publish
from tests.support.changes import CHANGES
from tests.support.receiver import receiving
from tests.support.webhooks import allow_loopback, drain, subscribe, worker

TLPS = ["CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"]
READERS = ["own_member", "own_service", "named_member", "named_service", "other_member"]
READERS += ["other_service"]


def expected(reader: str, tlp: str, named: bool, published: bool) -> bool:
    """Contract §4, for readers who are neither the author nor editors of the owner."""
    if not published:
        return False
    side, kind = reader.split("_")
    if tlp in ("CLEAR", "GREEN"):
        return True
    if tlp == "AMBER":
        return side == "own" or not named or side == "named"
    if tlp == "AMBER+STRICT":
        return side == "own" or (named and side == "named")
    return kind == "member" and side == "named" and named  # RED: named people only


@pytest.fixture(autouse=True)
def _loopback(app):
    allow_loopback(app)


def test_leak_matrix(client, factory, auth, session_factory):
    owner, named_agency, other = factory.agency(), factory.agency(), factory.agency()
    editor = factory.user(agency=owner, roles=["editor"])
    he = auth(editor)
    agencies = {"own": owner, "named": named_agency, "other": other}
    scopes = ["bulletins:read", "webhooks:write"]
    principals = {}
    for side, agency in agencies.items():
        principals[f"{side}_member"] = factory.user(agency=agency)
        principals[f"{side}_service"] = factory.service_account(agency=agency, scopes=scopes)
    starts = {
        r: client.get(CHANGES, headers=auth(p)).json()["next_cursor"] for r, p in principals.items()
    }
    with receiving() as receiver:
        hooks = {
            subscribe(client, auth(principals[r]), f"{receiver.url}?{r}")["id"]: r
            for r in READERS
            if r.endswith("_service")
        }
        items = {}
        for tlp in TLPS:
            for named in (False, True) if tlp not in ("CLEAR", "GREEN") else (False,):
                for published in (False, True):
                    extra = {}
                    if named and tlp == "RED":
                        extra["recipient_users"] = [str(principals["named_member"].id)]
                    elif named:
                        extra["recipient_agencies"] = [str(named_agency.id)]
                    b = create(client, he, tlp=tlp, **extra)
                    if published:
                        b = publish(client, he, b)
                    items[b["id"]] = (tlp, named, published)
        drain(worker(session_factory), rounds=50)
        heard: dict[str, set[str]] = {r: set() for r in READERS}
        for path, _, body in receiver.received():
            heard[path.split("?")[1]].add(json.loads(body)["data"]["resource_id"])
    assert len(hooks) == 3 and len(items) == 16
    # Not a trivial matrix: each reader hears of some items and not of others.
    assert all(0 < len(heard[r]) < len(items) for r in hooks.values())
    for reader in READERS:
        want = {i for i, case in items.items() if expected(reader, *case)}
        feed = client.get(
            CHANGES,
            params={"after": starts[reader], "limit": 200},
            headers=auth(principals[reader]),
        ).json()["items"]
        assert {e["resource_id"] for e in feed} & set(items) == want, reader
        if reader == "named_member":
            assert any(items[i][0] == "RED" for i in want)
        if reader.endswith("_service"):
            assert heard[reader] == want, reader
            assert not any(items[i][0] == "RED" for i in heard[reader])
