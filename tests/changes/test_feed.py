"""GET /changes: events in commit order, the reader's classification applied now, a signed
cursor that resumes exactly where the last page stopped, strict query strings."""

import uuid

from sqlalchemy import select

from oversight.bulletins.models import Bulletin
from tests.support.bulletins import API, create, publish
from tests.support.changes import CHANGES
from tests.support.meetings import if_match
from tests.support.reports import create as report


def _all(client, headers, **params):
    seen, after = [], None
    while True:
        q = dict(params, **({"after": after} if after else {}))
        r = client.get(CHANGES, params=q, headers=headers)
        assert r.status_code == 200, r.text
        page = r.json()
        seen += page["items"]
        if not page["items"] or "link" not in r.headers:
            return seen, page["next_cursor"]
        after = page["next_cursor"]


def test_pages_resume_and_never_repeat(client, factory, auth):
    h = auth(factory.user(roles=["editor"]))
    _, start = _all(client, h)
    made = [publish(client, h, create(client, h, tlp="GREEN")) for _ in range(3)]
    seen, after = _all(client, h, after=start, limit=2)
    assert [(e["type"], e["resource_id"]) for e in seen] == [
        (kind, b["id"]) for b in made for kind in ("bulletin.created", "bulletin.published")
    ]
    assert set(seen[0]) == {"id", "type", "resource_type", "resource_id", "version", "at"}
    r = client.get(CHANGES, params={"after": after}, headers=h)
    assert r.json()["items"] == [] and r.json()["next_cursor"]
    b = create(client, h)
    r = client.get(CHANGES, params={"after": after}, headers=h)
    assert [e["resource_id"] for e in r.json()["items"]] == [b["id"]]


def test_visibility_is_decided_when_read(client, factory, auth, db):
    editor = factory.user(roles=["editor"])
    h = auth(editor)
    outsider = auth(factory.user())
    partner = factory.service_account(
        agency=factory.agency(), scopes=["bulletins:read", "meetings:read"]
    )
    hp = auth(partner)
    starts = {k: _all(client, x)[1] for k, x in {"o": outsider, "p": hp}.items()}
    draft = create(client, h, tlp="GREEN")
    strict = publish(client, h, create(client, h, tlp="AMBER+STRICT"))
    red = publish(client, h, create(client, h, tlp="RED"))
    green = publish(client, h, create(client, h, tlp="GREEN"))
    for who, start in (("o", starts["o"]), ("p", starts["p"])):
        seen, _ = _all(client, outsider if who == "o" else hp, after=start)
        assert {e["resource_id"] for e in seen} == {green["id"]}, who
        assert {e["type"] for e in seen} == {"bulletin.created", "bulletin.published"}
    assert draft and strict and red
    # Reclassified after its events: the earlier events are no longer listed either.
    r = client.patch(f"{API}/{green['id']}", json={"tlp": "RED"}, headers=if_match(h, green))
    assert r.status_code == 200, r.text
    seen, _ = _all(client, outsider, after=starts["o"])
    assert seen == []
    assert db.scalar(select(Bulletin.tlp).where(Bulletin.id == uuid.UUID(green["id"]))) == "RED"
    mine, _ = _all(client, h, types="bulletin.published")
    assert {e["resource_id"] for e in mine} >= {strict["id"], red["id"], green["id"]}
    assert {e["type"] for e in mine} == {"bulletin.published"}


def test_scopes_narrow_the_resources(client, factory, auth):
    h = auth(factory.user(roles=["editor"]))
    only_actions = factory.service_account(scopes=["actions:read"])
    start = _all(client, auth(only_actions))[1]
    publish(client, h, create(client, h, tlp="CLEAR"))
    assert _all(client, auth(only_actions), after=start)[0] == []


def test_bad_queries_are_400(client, factory, auth):
    h = auth(factory.user())
    for params in (
        {"after": "garbage"},
        {"types": "bulletin,secrets"},
        {"cursor": "x"},
        {"limit": "0"},
    ):
        r = client.get(CHANGES, params=params, headers=h)
        assert r.status_code == 400, (params, r.text)
        assert r.headers["content-type"] == "application/problem+json"
    other = client.get("/api/v1/bulletins", headers=h).json()["next_cursor"]
    assert client.get(CHANGES, params={"after": other or "a.b"}, headers=h).status_code == 400
    assert client.get(CHANGES).status_code == 401


def test_reports_are_announced_to_their_readers_only_and_name_no_one(client, factory, auth):
    editor = factory.user(roles=["editor"])
    h = auth(editor)
    peer = auth(factory.user(agency=factory.agency()))
    partner = auth(factory.service_account(agency=factory.agency(), scopes=["bulletins:read"]))
    starts = {name: _all(client, x)[1] for name, x in {"peer": peer, "partner": partner}.items()}
    shared = report(client, h, tlp="GREEN", anonymous_to_peers=True)
    kept = report(client, h, tlp="AMBER+STRICT")
    r = client.post(
        f"/api/v1/reports/{shared['id']}/withdraw",
        json={"reason": "Reported twice"},
        headers=if_match(h, shared),
    )
    assert r.status_code == 200, r.text
    seen, _ = _all(client, peer, after=starts["peer"], types="report")
    assert [(e["type"], e["resource_id"]) for e in seen] == [
        ("report.submitted", shared["id"]),
        ("report.withdrawn", shared["id"]),
    ]
    for e in seen:  # an event names the item, never who reported it
        assert set(e) == {"id", "type", "resource_type", "resource_id", "version", "at"}
        assert e["resource_type"] == "report"
    assert kept["id"] not in {e["resource_id"] for e in seen}
    # a partner system without reports:read hears of no report at all
    seen, _ = _all(client, partner, after=starts["partner"])
    assert not [e for e in seen if e["resource_type"] == "report"]
    r = client.get(CHANGES, params={"types": "report.promoted"}, headers=peer)
    assert r.status_code == 200, r.text
