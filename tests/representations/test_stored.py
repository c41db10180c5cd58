"""Lists serve representations stored at write time (issue 18): a listed item is exactly the
item as its reader reads it alone, whatever the reader, version or stored state."""

import json
import uuid
from typing import Any

from sqlalchemy import delete, select, update

from oversight.representations.models import StoredRepresentation
from oversight.representations.store import refresh
from tests.support import reports
from tests.support.bulletins import API, create, publish

LIVE = {"agency", "author", "recipient_agencies", "recipient_users", "shared_with_you"}


def _listed(client, headers) -> dict[str, dict[str, Any]]:
    r = client.get(API, params={"limit": 200}, headers=headers)
    assert r.status_code == 200, r.text
    return {i["id"]: i for i in r.json()["items"]}


def _alone(client, headers, bulletin_id: str) -> dict[str, Any]:
    r = client.get(f"{API}/{bulletin_id}", headers=headers)
    assert r.status_code == 200, r.text
    return r.json()


def _stored(db, bulletin_id: str) -> StoredRepresentation | None:
    db.expire_all()
    t = StoredRepresentation
    return db.scalars(select(t).where(t.item_id == uuid.UUID(bulletin_id))).first()


def test_a_write_stores_what_every_reader_sees_alike(client, factory, auth, db):
    owner, named = factory.agency(), factory.agency()
    editor = factory.user(owner, roles=["editor"])
    b = create(client, auth(editor), tlp="AMBER", recipient_agencies=[str(named.id)])
    stored = _stored(db, b["id"])
    assert stored is not None and stored.version == b["version"] == 1
    members = json.loads(f"{{{stored.body}}}")
    assert members["title"] == b["title"] and members["indicators"] == b["indicators"]
    # Nothing that differs by reader is stored: names, recipients, the linked report.
    assert not (set(members) & (LIVE | {"report_id"}))
    assert str(named.id) not in stored.body
    published = publish(client, auth(editor), b)
    assert _stored(db, b["id"]).version == published["version"] == 2


def test_each_reader_lists_an_item_exactly_as_it_reads_it(client, factory, auth):
    owner, named, other = factory.agency(), factory.agency(), factory.agency()
    editor = factory.user(owner, roles=["editor"])
    h = auth(editor)
    amber = publish(client, h, create(client, h, tlp="AMBER", recipient_agencies=[str(named.id)]))
    green = publish(client, h, create(client, h, tlp="GREEN"))
    draft = create(client, h, tlp="GREEN", title="Draft on unpatched Office 365 tenants")
    readers = {
        "owner": (editor, {amber["id"], green["id"], draft["id"]}),
        "named": (factory.user(named), {amber["id"], green["id"]}),
        "other": (factory.user(other), {green["id"]}),
    }
    for name, (reader, expected) in readers.items():
        rh = auth(reader)
        listed = _listed(client, rh)
        assert set(listed) & {amber["id"], green["id"], draft["id"]} == expected, name
        for item_id in expected:
            assert listed[item_id] == _alone(client, rh, item_id), (name, item_id)
    assert _listed(client, auth(readers["named"][0]))[amber["id"]]["shared_with_you"] is True
    assert _listed(client, auth(readers["named"][0]))[amber["id"]]["recipient_agencies"] is None


def test_an_edit_is_listed_at_its_new_version(client, factory, auth, db):
    editor = factory.user(roles=["editor"])
    h = auth(editor)
    b = publish(client, h, create(client, h))
    r = client.patch(
        f"{API}/{b['id']}",
        json={"title": "Hijacked social media accounts used for invoice fraud"},
        headers={**h, "If-Match": f'"{b["version"]}"'},
    )
    assert r.status_code == 200, r.text
    listed = _listed(client, h)[b["id"]]
    assert listed["title"].startswith("Hijacked") and listed["version"] == b["version"] + 1
    assert listed == _alone(client, h, b["id"])
    assert _stored(db, b["id"]).version == listed["version"]


def test_names_are_live_not_stored(client, factory, auth, db):
    agency = factory.agency(name="Northshire Schools Trust")
    editor = factory.user(agency, roles=["editor"], display_name="Owen Price")
    h = auth(editor)
    b = publish(client, h, create(client, h))
    agency.name = "Northshire and Dale Schools Trust"
    editor.display_name = "Owen Price-Jones"
    db.commit()
    listed = _listed(client, h)[b["id"]]
    assert listed["agency"]["name"] == "Northshire and Dale Schools Trust"
    assert listed["author"]["display_name"] == "Owen Price-Jones"


def test_the_linked_report_is_listed_only_to_who_reads_it(client, factory, auth):
    agency = factory.agency()
    editor = factory.user(agency, roles=["editor"])
    h = auth(editor)
    report = reports.create(client, h, tlp="AMBER+STRICT")
    p = client.post(f"{reports.API}/{report['id']}/promote", headers=h)
    assert p.status_code == 201, p.text
    draft = p.json()
    r = client.patch(
        f"{API}/{draft['id']}",
        json={"tlp": "GREEN"},
        headers={**h, "If-Match": f'"{draft["version"]}"'},
    )
    assert r.status_code == 200, r.text
    bulletin = publish(client, h, r.json())
    assert _listed(client, h)[bulletin["id"]]["report_id"] == report["id"]
    # Another agency's member reads the GREEN bulletin, not the AMBER+STRICT report.
    outsider = auth(factory.user(factory.agency()))
    listed = _listed(client, outsider)[bulletin["id"]]
    assert listed["report_id"] is None
    assert listed == _alone(client, outsider, bulletin["id"])


def test_an_item_without_its_representation_is_listed_in_full(client, factory, auth, db):
    editor = factory.user(roles=["editor"])
    h = auth(editor)
    gone = publish(client, h, create(client, h, title="Targeted hacking for data"))
    stale = publish(client, h, create(client, h, title="Ransomware against small firms"))
    t = StoredRepresentation
    db.execute(delete(t).where(t.item_id == uuid.UUID(gone["id"])))
    forged = f'"id":"{stale["id"]}","title":"NOT SERVED"'
    db.execute(
        update(t)
        .where(t.item_id == uuid.UUID(stale["id"]))
        .values(version=stale["version"] - 1, body=forged)
    )
    db.commit()
    listed = _listed(client, h)
    assert listed[gone["id"]] == _alone(client, h, gone["id"])
    assert listed[stale["id"]] == _alone(client, h, stale["id"])
    assert "NOT SERVED" not in json.dumps(listed)
    # `refresh` (run by `oversight db upgrade`) stores what was missing or stale, once.
    assert refresh(db) == 2
    db.commit()
    assert refresh(db) == 0
    assert _stored(db, gone["id"]).version == gone["version"]
    assert _listed(client, h) == listed


def test_refresh_stores_every_missing_or_stale_one_batch_after_batch(client, factory, auth, db):
    """Batches of two over twelve bulletins, every third missing and every fourth stale (one
    both): each stored once, whichever batch it falls in, and nothing else rewritten."""
    editor = factory.user(roles=["editor"])
    h = auth(editor)
    made = [create(client, h, title=f"Unpatched Office 365, tenant {n}") for n in range(12)]
    ids = sorted(uuid.UUID(b["id"]) for b in made)
    t = StoredRepresentation
    missing = set(ids[::3])
    stale = set(ids[::4]) - missing
    db.execute(delete(t).where(t.item_id.in_(missing)))
    db.execute(update(t).where(t.item_id.in_(stale)).values(version=0, body='"id":"forged"'))
    db.commit()
    kept = {r.item_id: r.body for r in db.scalars(select(t).where(t.item_id.in_(ids)))}
    assert refresh(db, batch=2) == len(missing | stale)
    db.commit()
    assert refresh(db, batch=2) == 0
    db.expire_all()
    now = {r.item_id: (r.version, r.body) for r in db.scalars(select(t).where(t.item_id.in_(ids)))}
    assert set(now) == set(ids)
    assert all(now[i][0] == 1 and "forged" not in now[i][1] for i in ids)
    assert all(now[i][1] == kept[i] for i in set(ids) - missing - stale)
