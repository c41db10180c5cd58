"""`added_after` paging over versions added in bursts (many in the same microsecond): each
version exactly once, and later runs get exactly the versions added since."""

import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import delete, func, select

from oversight.bulletins.models import Bulletin
from oversight.taxii import feed
from oversight.taxii.models import StixObject, StixVersion
from tests.support.bulletins import API, create, publish
from tests.support.taxii import MANIFEST, taxii

FROZEN = datetime(2026, 12, 5, 9, 30, tzinfo=UTC)


def _run(client, h, added_after=None, limit=7):
    """A TAXII client's sync: pages of `limit`, each asked for after the last one's
    X-TAXII-Date-Added-Last; the (id, version, date_added) of every version seen."""
    seen = []
    while True:
        params = {"limit": limit, "match[version]": "all"}
        if added_after:
            params["added_after"] = added_after
        r = client.get(MANIFEST, params=params, headers=h)
        assert r.status_code == 200, r.text
        rows = r.json().get("objects", [])
        if not rows:
            return seen, added_after
        assert len(rows) <= limit
        seen += [(m["id"], m["version"], m["date_added"]) for m in rows]
        added_after = r.headers["X-TAXII-Date-Added-Last"]


def _indicators(n, tag):
    return [{"type": "ipv4", "value": f"198.51.{tag}.{j}"} for j in range(n)]


@pytest.fixture
def bursts(client, factory, auth, monkeypatch):
    editor = factory.user(roles=["editor"])
    h = auth(editor)
    drafts = [
        create(client, h, title=f"Bulletin {i}", indicators=_indicators(39, i)) for i in range(25)
    ]
    for i, draft in enumerate(drafts):
        if i % 2:  # every other publication with a stopped clock: one microsecond for all
            monkeypatch.setattr(feed, "utcnow", lambda: FROZEN)
        else:
            monkeypatch.undo()
        publish(client, h, draft)
    monkeypatch.undo()
    return editor, h


def test_every_version_once_in_pages_of_seven(client, db, bursts):
    _, h = bursts
    total = db.scalar(select(func.count()).select_from(StixVersion))
    assert total >= 1000
    per_ms = db.execute(
        select(func.count()).select_from(StixVersion).group_by(StixVersion.modified)
    ).all()
    assert max(n for (n,) in per_ms) >= 39  # a whole bulletin's versions in one millisecond
    seen, _ = _run(client, taxii(h))
    assert len(seen) == total
    assert len(set(seen)) == total
    assert [s[2] for s in seen] == sorted(s[2] for s in seen)


def test_a_later_run_gets_exactly_the_new_versions(client, db, bursts):
    _, h = bursts
    h = taxii(h)
    seen, mark = _run(client, h)
    r = client.get(API, params={"limit": 3}, headers=h | {"Accept": "application/json"})
    one, two, _ = r.json()["items"]
    client.patch(
        f"{API}/{one['id']}",
        json={"title": "Bulletin edited", "indicators": _indicators(3, 200)},
        headers=h | {"Accept": "application/json", "If-Match": f'"{one["version"]}"'},
    ).raise_for_status()
    client.post(
        f"{API}/{two['id']}/withdraw",
        json={"reason": "Superseded"},
        headers=h | {"Accept": "application/json", "If-Match": f'"{two["version"]}"'},
    ).raise_for_status()
    draft = create(client, h | {"Accept": "application/json"}, title="New one")
    publish(client, h | {"Accept": "application/json"}, draft)
    new, _ = _run(client, h, added_after=mark)
    added = db.scalars(
        select(StixVersion.stix_id).where(StixVersion.date_added > _parse(mark))
    ).all()
    assert sorted(s[0] for s in new) == sorted(added)
    assert not set(new) & set(seen)
    # edit: report + 3 new indicators + 39 dropped (revoked); withdrawal: 40 revoked;
    # the new bulletin: its report and 3 indicators.
    assert len(new) == 1 + 3 + 39 + 40 + 4


def _parse(stamp):
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def test_the_backfill_feeds_bulletins_published_before_the_feed(client, db, factory, auth):
    editor = factory.user(roles=["editor"])
    h = auth(editor)
    b = publish(client, h, create(client, h, title="Before the feed"))
    bulletin_id = uuid.UUID(b["id"])
    db.execute(delete(StixVersion).where(StixVersion.bulletin_id == bulletin_id))
    db.execute(delete(StixObject).where(StixObject.bulletin_id == bulletin_id))
    db.flush()
    assert feed.backfill(db, Bulletin) == 1
    assert feed.backfill(db, Bulletin) == 0
    reports = db.scalars(
        select(StixVersion.body).where(StixVersion.bulletin_id == bulletin_id)
    ).all()
    assert any('"Before the feed"' in body for body in reports)
