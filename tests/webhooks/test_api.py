"""/webhooks: who manages them, the allow-list, the secret shown once, every change audited
and no secret in the trail."""

import json
import socket

import pytest
from sqlalchemy import select

from oversight.audit.models import AuditRecord
from oversight.webhooks import targets

API = "/api/v1/webhooks"
HOOK = "http://127.0.0.1:9/hook"


@pytest.fixture(autouse=True)
def _allow_loopback(app):
    app.state.settings = app.state.settings.model_copy(
        update={"webhook_allowed_hosts": ["127.0.0.1", "partner.example"]}
    )


def _admin_and_account(factory):
    agency = factory.agency()
    admin = factory.user(agency=agency, roles=["agency_admin"])
    account = factory.service_account(agency=agency, scopes=["bulletins:read"])
    return agency, admin, account


def test_create_read_rotate_delete_audited_without_secrets(client, factory, auth, db):
    _, admin, account = _admin_and_account(factory)
    h = auth(admin)
    r = client.post(
        API,
        json={"url": HOOK, "event_types": ["bulletin"], "principal_id": str(account.id)},
        headers=h,
    )
    assert r.status_code == 201, r.text
    made = r.json()
    assert made["secret"].startswith("whsec_") and made["principal_id"] == str(account.id)
    assert r.headers["location"].endswith(made["id"])
    got = client.get(f"{API}/{made['id']}", headers=h)
    assert got.status_code == 200 and "secret" not in got.json()
    assert got.headers["etag"] == '"1"'
    r = client.post(f"{API}/{made['id']}/rotate-secret", headers=h)
    assert r.status_code == 200, r.text
    rotated = r.json()["secret"]
    assert rotated.startswith("whsec_") and rotated != made["secret"]
    r = client.patch(
        f"{API}/{made['id']}",
        json={"event_types": ["bulletin.published"]},
        headers={**h, "If-Match": f'"{r.json()["version"]}"'},
    )
    assert r.status_code == 200, r.text
    assert client.patch(f"{API}/{made['id']}", json={}, headers=h).status_code == 428
    assert client.get(API, headers=h).json()["items"][0]["id"] == made["id"]
    r = client.delete(f"{API}/{made['id']}", headers={**h, "If-Match": '"3"'})
    assert r.status_code == 204, r.text
    assert client.get(f"{API}/{made['id']}", headers=h).status_code == 404
    trail = db.scalars(
        select(AuditRecord).where(AuditRecord.resource_id == made["id"]).order_by(AuditRecord.seq)
    ).all()
    assert [t.action for t in trail] == [
        "webhook.create",
        "webhook.rotate_secret",
        "webhook.update",
        "webhook.delete",
    ]
    dump = json.dumps([t.changes for t in trail])
    assert made["secret"] not in dump and rotated not in dump and "whsec_" not in dump


def test_who_may_manage(client, factory, auth):
    agency, _, account = _admin_and_account(factory)
    body = {"url": HOOK, "principal_id": str(account.id)}
    editor = factory.user(agency=agency, roles=["editor"])
    assert client.post(API, json=body, headers=auth(editor)).status_code == 403
    assert client.get(API, headers=auth(editor)).status_code == 403
    partner = factory.service_account(agency=agency, scopes=["webhooks:write", "webhooks:read"])
    r = client.post(API, json={"url": HOOK}, headers=auth(partner))
    assert r.status_code == 201 and r.json()["principal_id"] == str(partner.id)
    plain = factory.service_account(agency=agency, scopes=["bulletins:read"])
    assert client.post(API, json={"url": HOOK}, headers=auth(plain)).status_code == 403
    other_admin = factory.user(roles=["agency_admin"])
    ho = auth(other_admin)
    assert client.get(f"{API}/{r.json()['id']}", headers=ho).status_code == 404
    r = client.post(API, json=body, headers=ho)  # another agency's account
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["body", "principal_id"]
    r = client.post(API, json={"url": HOOK}, headers=ho)
    assert r.status_code == 422


@pytest.mark.parametrize(
    "url",
    [
        "http://partner.example/hook",  # http off loopback
        "https://other.example/hook",  # not listed
        "https://10.0.0.5/hook",  # not listed
        "ftp://127.0.0.1/x",
        "https://user:pw@partner.example/hook",
        "not a url",
    ],
)
def test_targets_off_the_allow_list_are_refused(client, factory, auth, url):
    _, admin, account = _admin_and_account(factory)
    r = client.post(API, json={"url": url, "principal_id": str(account.id)}, headers=auth(admin))
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["loc"] == ["body", "url"]


def test_a_listed_name_resolving_inside_is_refused(client, factory, auth, monkeypatch):
    _, admin, account = _admin_and_account(factory)

    def inside(host, port, **kw):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.1.2.3", port))]

    body = {"url": "https://partner.example/hook", "principal_id": str(account.id)}
    monkeypatch.setattr(targets.check, "__defaults__", (inside,))
    r = client.post(API, json=body, headers=auth(admin))
    assert r.status_code == 422 and "non-public" in r.json()["detail"]


def test_an_idempotent_retry_never_shows_the_secret_again(client, factory, auth):
    _, admin, account = _admin_and_account(factory)
    h = {**auth(admin), "Idempotency-Key": "create-hook-1"}
    body = {"url": HOOK, "principal_id": str(account.id)}
    first = client.post(API, json=body, headers=h)
    again = client.post(API, json=body, headers=h)
    assert first.status_code == again.status_code == 201
    assert again.headers.get("idempotent-replayed") == "true"
    assert again.json()["id"] == first.json()["id"]
    assert first.json()["secret"].startswith("whsec_") and again.json()["secret"] is None
    assert len(client.get(API, headers=auth(admin)).json()["items"]) == 1
