"""Every bulletin endpoint honours the classification: a principal never receives, counts,
changes or learns the existence of a bulletin it may not read."""

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from oversight.bulletins.models import Bulletin, BulletinAcknowledgement
from tests.support.bulletins import API
from tests.support.world import (
    BASE_TIME,
    CATEGORIES,
    SECTORS,
    SEVERITIES,
    STATUSES,
    TLPS,
    WORDS,
    World,
    bulletin_world,
    listed_ids,
    may_read,
    token,
)

A, B, C, D = 0, 1, 2, 3


@pytest.fixture
def world(db) -> World:
    return bulletin_world(db)


def _same(body: dict, item_id: uuid.UUID) -> dict:
    """A problem body without what differs per request: its id, request id and path."""
    out = {k: v for k, v in body.items() if k not in {"request_id", "instance"}}
    out["detail"] = out["detail"].replace(str(item_id), "{id}")
    return out


FILTERS = (
    [("status", s, lambda i, s=s: i.status == s) for s in STATUSES]
    + [("tlp", t, lambda i, t=t: i.tlp == t) for t in TLPS]
    + [("category", c, lambda i, c=c: i.category == c) for c in CATEGORIES]
    + [("severity", s, lambda i, s=s: i.severity == s) for s in SEVERITIES]
    + [("sector", s, lambda i, s=s: s in i.sectors) for s in SECTORS]
    + [("q", w, lambda i, w=w: i.word == w) for w in WORDS]
    + [
        (
            "updated_after",
            (BASE_TIME + timedelta(minutes=m)).isoformat(),
            lambda i, m=m: i.minute > m,
        )
        for m in (3, 20)
    ]
)


def test_lists_show_exactly_what_each_principal_may_read(client, app, world):
    for who in world.people:
        headers = token(app.state.tokens, world, who)
        readable = [i for i in world.items if may_read(who, i, world.active)]
        ids = listed_ids(client, headers)
        if not world.active[who.agency]:
            assert ids is None
            continue
        expected = sorted(readable, key=lambda i: i.minute, reverse=True)
        assert ids == [str(i.id) for i in expected], who  # newest first, every page
        for name, value, keep in FILTERS:
            got = listed_ids(client, headers, limit=8, **{name: value})
            assert set(got) == {str(i.id) for i in readable if keep(i)}, (who, name, value)
        for n, agency in enumerate(world.agencies):
            got = listed_ids(client, headers, limit=8, agency_id=str(agency.id))
            assert set(got) == {str(i.id) for i in readable if i.agency == n}
    public = client.get("/api/v1/public/bulletins", params={"limit": 200}).json()["items"]
    assert {b["id"] for b in public} == {
        str(i.id) for i in world.items if i.tlp == "CLEAR" and i.status == "published"
    }
    assert all("recipient_users" not in b and "author_id" not in b for b in public)


def test_single_item_endpoints_hide_what_may_not_be_read(client, app, db, world):
    versions = {b.id: b.version for b in db.scalars(select(Bulletin))}
    acked: set[tuple[uuid.UUID, int]] = set()
    for who in world.people:
        headers = token(app.state.tokens, world, who)
        missing = uuid.uuid4()
        stale = {**headers, "If-Match": '"999"'}
        calls = [
            ("GET", "", {}),
            ("GET", "/revisions", {}),
            ("GET", "/acknowledgements", {}),
            ("PATCH", "", {"json": {"title": "Changed title"}, "headers": stale}),
            ("POST", "/publish", {"headers": stale}),
            ("POST", "/withdraw", {"json": {"reason": "Superseded"}, "headers": stale}),
        ]
        unseen = {}
        for method, suffix, kw in calls:
            r = client.request(method, f"{API}/{missing}{suffix}", **{"headers": headers, **kw})
            unseen[(method, suffix)] = (r.status_code, _same(r.json(), missing))
        for item in world.items:
            visible = may_read(who, item, world.active)
            for method, suffix, kw in calls:
                r = client.request(method, f"{API}/{item.id}{suffix}", **{"headers": headers, **kw})
                if not visible:
                    assert (r.status_code, _same(r.json(), item.id)) == unseen[(method, suffix)]
                elif method == "GET":
                    assert r.status_code == 200, r.text
                elif "bulletins:write" not in who.scopes:
                    assert r.status_code == 403  # the scope, as for any id
                elif who.agency != item.agency:
                    assert r.status_code == 403, r.text
                    assert "editors of the agency" in r.json()["detail"]
                else:
                    assert r.status_code == 412, r.text  # reachable, and stale: no change
            r = client.post(f"{API}/{item.id}/acknowledge", headers=headers)
            if not visible:
                gone = client.post(f"{API}/{missing}/acknowledge", headers=headers)
                assert r.status_code == gone.status_code
                assert _same(r.json(), item.id) == _same(gone.json(), missing)
            elif item.status == "published" and (item.id, who.agency) not in acked:
                assert r.status_code == 201, r.text
                acked.add((item.id, who.agency))
            else:
                assert r.status_code == 409, r.text
    db.expire_all()
    assert {b.id: b.version for b in db.scalars(select(Bulletin))} == versions
    rows = db.execute(
        select(BulletinAcknowledgement.bulletin_id, BulletinAcknowledgement.agency_id)
    ).all()
    agency_index = {a.id: n for n, a in enumerate(world.agencies)}
    assert {(b, agency_index[a]) for b, a in rows} == acked
    assert db.scalar(select(func.count()).select_from(BulletinAcknowledgement)) == len(acked)
