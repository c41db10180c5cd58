"""Draft → published → withdrawn, revisions, acknowledgements, search, and their audit."""

from sqlalchemy import select

from oversight.audit.models import AuditRecord
from tests.support.bulletins import API, create, payload, publish


def _if_match(headers, body):
    return {**headers, "If-Match": f'"{body["version"]}"'}


def _actions(db, bulletin_id):
    rows = db.scalars(
        select(AuditRecord).where(AuditRecord.resource_id == bulletin_id).order_by(AuditRecord.seq)
    )
    return [(r.action, r.changes) for r in rows]


def test_create_publish_edit_withdraw(client, factory, auth, db):
    editor = factory.user(roles=["editor"])
    h = auth(editor)
    b = create(client, h, tlp="AMBER")
    assert b["status"] == "draft" and b["version"] == 1
    assert b["author_id"] == str(editor.id) and b["agency_id"] == str(editor.agency_id)
    assert b["protective_marking"] == "OFFICIAL"
    draft_edit = client.patch(
        f"{API}/{b['id']}", json={"severity": "critical"}, headers=_if_match(h, b)
    )
    assert draft_edit.status_code == 200, draft_edit.text
    b = draft_edit.json()
    assert client.get(f"{API}/{b['id']}/revisions", headers=h).json()["items"] == []
    b = publish(client, h, b)
    assert b["status"] == "published" and b["published_at"]
    r = client.post(f"{API}/{b['id']}/publish", headers=_if_match(h, b))
    assert r.status_code == 409
    r = client.patch(
        f"{API}/{b['id']}",
        json={
            "body": "Updated guidance",
            "indicators": [{"type": "cve", "value": "cve-2023-23397"}],
        },
        headers=_if_match(h, b),
    )
    assert r.status_code == 200, r.text
    assert r.headers["etag"] == f'"{r.json()["version"]}"'
    b = r.json()
    assert b["indicators"] == [{"type": "cve", "value": "CVE-2023-23397", "description": None}]
    revisions = client.get(f"{API}/{b['id']}/revisions", headers=h).json()["items"]
    assert [rev["number"] for rev in revisions] == [2, 1]
    assert revisions[0]["body"] == "Updated guidance"
    assert revisions[0]["changed_fields"] == ["body", "indicators"]
    assert revisions[1]["body"] == payload()["body"]
    # The newest revision holds the bulletin's whole text as it now stands.
    text = {k: b[k] for k in payload() if k != "tlp"}
    assert {k: revisions[0][k] for k in text} == text
    r = client.post(f"{API}/{b['id']}/withdraw", json={}, headers=_if_match(h, b))
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["body", "reason"]
    r = client.post(
        f"{API}/{b['id']}/withdraw", json={"reason": "Superseded"}, headers=_if_match(h, b)
    )
    assert r.status_code == 200, r.text
    w = r.json()
    assert w["status"] == "withdrawn" and w["withdrawal_reason"] == "Superseded"
    r = client.patch(f"{API}/{b['id']}", json={"title": "Too late now"}, headers=_if_match(h, w))
    assert r.status_code == 409
    actions = [a for a, _ in _actions(db, b["id"])]
    assert actions.count("bulletin.create") == 1
    assert "bulletin.publish" in actions and "bulletin.withdraw" in actions
    changes = dict(_actions(db, b["id"]))["bulletin.create"]
    assert "after_sha256" in changes["title"] and "after" not in changes["title"]
    assert "after_sha256" in changes["body"]


def test_write_needs_if_match(client, factory, auth):
    h = auth(factory.user(roles=["editor"]))
    b = create(client, h)
    r = client.patch(f"{API}/{b['id']}", json={"title": "Another title"}, headers=h)
    assert r.status_code == 428
    r = client.post(f"{API}/{b['id']}/publish", headers=h)
    assert r.status_code == 428


def test_only_editors_of_the_owner_write(client, factory, auth):
    owner = factory.agency()
    h = auth(factory.user(owner, roles=["editor"]))
    b = publish(client, h, create(client, h))
    member = auth(factory.user(owner))
    assert (
        client.patch(f"{API}/{b['id']}", json={"title": "Mine now"}, headers=member).status_code
        == 403
    )
    other_editor = auth(factory.user(roles=["editor"]))
    r = client.patch(
        f"{API}/{b['id']}", json={"title": "Mine now"}, headers=_if_match(other_editor, b)
    )
    assert r.status_code == 403
    r = client.post(
        f"{API}/{b['id']}/withdraw", json={"reason": "Not ours"}, headers=_if_match(other_editor, b)
    )
    assert r.status_code == 403
    assert client.get(f"{API}/{b['id']}", headers=h).json()["version"] == b["version"]


def test_acknowledge_once_per_agency(client, factory, auth):
    h = auth(factory.user(roles=["editor"]))
    b = create(client, h)
    assert client.post(f"{API}/{b['id']}/acknowledge", headers=h).status_code == 409  # draft
    b = publish(client, h, b)
    reader_agency = factory.agency()
    first = auth(factory.user(reader_agency))
    second = auth(factory.user(reader_agency))
    r = client.post(
        f"{API}/{b['id']}/acknowledge", json={"note": "Passed to our SOC"}, headers=first
    )
    assert r.status_code == 201, r.text
    assert r.json()["agency_id"] == str(reader_agency.id)
    assert client.post(f"{API}/{b['id']}/acknowledge", headers=second).status_code == 409
    acks = client.get(f"{API}/{b['id']}/acknowledgements", headers=h).json()["items"]
    assert [a["note"] for a in acks] == ["Passed to our SOC"]


def test_amber_reads_and_reclassification_are_audited(client, factory, auth, db):
    editor = factory.user(roles=["editor"])
    h = auth(editor)
    partner = factory.agency()
    b = publish(client, h, create(client, h, tlp="AMBER", recipient_agencies=[str(partner.id)]))
    reader = factory.user(partner)
    assert client.get(f"{API}/{b['id']}", headers=auth(reader)).status_code == 200
    reads = [
        r
        for r in db.scalars(select(AuditRecord).where(AuditRecord.action == "bulletin.read"))
        if r.resource_id == b["id"] and r.actor_id == str(reader.id)
    ]
    assert len(reads) == 1
    r = client.patch(f"{API}/{b['id']}", json={"tlp": "GREEN"}, headers=_if_match(h, b))
    assert r.status_code == 200, r.text
    assert r.json()["recipient_agencies"] == []
    changes = dict(_actions(db, b["id"]))["bulletin.reclassify"]
    assert changes["tlp"] == {"before": "AMBER", "after": "GREEN"}
    assert changes["recipient_agencies"] == {"before": [str(partner.id)], "after": []}
    assert changes["recipient_users"] == {"before": [], "after": []}
    assert client.get(f"{API}/{b['id']}", headers=auth(factory.user())).status_code == 200


def test_search_follows_every_write(client, factory, auth):
    h = auth(factory.user(roles=["editor"]))
    b = create(
        client,
        h,
        title="Office 365 tenants hit by consent phishing",
        summary="Illicit consent grants",
        body="OAuth apps",
    )

    def found(q):
        return [x["id"] for x in client.get(API, params={"q": q}, headers=h).json()["items"]]

    assert found("consent phishing") == [b["id"]]
    assert found("tenant") == [b["id"]]  # stemmed
    assert found("payroll") == []
    r = client.patch(
        f"{API}/{b['id']}", json={"body": "Payroll diversion fraud"}, headers=_if_match(h, b)
    )
    assert r.status_code == 200
    assert found("payroll") == [b["id"]]
    assert found("OAuth") == []
    assert found("%") == []
    stranger = auth(factory.user())
    assert client.get(API, params={"q": "payroll"}, headers=stranger).json()["items"] == []


def test_public_feed_needs_no_token(client, factory, auth):
    h = auth(factory.user(roles=["editor"]))
    clear = publish(client, h, create(client, h, tlp="CLEAR"))
    create(client, h, tlp="CLEAR")
    publish(client, h, create(client, h, tlp="GREEN"))
    items = client.get("/api/v1/public/bulletins").json()["items"]
    assert [i["id"] for i in items] == [clear["id"]]
