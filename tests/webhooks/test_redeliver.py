"""Redeliver finds only what the delivery log shows its caller: a delivery about an item the
caller can no longer read answers 404, as one that does not exist, and is not queued again."""

import uuid

import pytest

from oversight.webhooks.models import WebhookDelivery
from tests.support.bulletins import create, publish
from tests.support.receiver import receiving
from tests.support.webhooks import API, allow_loopback, drain, subscribe, worker

SCOPES = ["bulletins:read", "webhooks:read", "webhooks:write"]


@pytest.fixture(autouse=True)
def _loopback(app):
    allow_loopback(app)


def _missing(client, headers, hook_id):
    r = client.post(f"{API}/{hook_id}/deliveries/{uuid.uuid4()}/redeliver", headers=headers)
    assert r.status_code == 404, r.text
    return {k: r.json()[k] for k in ("type", "title", "status")}


def test_a_delivery_about_an_item_reclassified_away_is_not_found(
    client, factory, auth, db, session_factory
):
    he = auth(factory.user(roles=["editor"]))
    hp = auth(factory.service_account(scopes=SCOPES))
    with receiving() as receiver:
        hook = subscribe(client, hp, receiver.url, event_types=["bulletin.published"])
        b = publish(client, he, create(client, he, tlp="GREEN"))
        drain(worker(session_factory))
        assert len(receiver.received()) == 1
        log = f"{API}/{hook['id']}/deliveries"
        listed = client.get(log, headers=hp).json()["items"]
        assert [(d["resource_id"], d["status"]) for d in listed] == [(b["id"], "delivered")]
        redeliver = f"{log}/{listed[0]['id']}/redeliver"
        assert client.post(redeliver, headers=hp).status_code == 202  # readable: queued
        drain(worker(session_factory))
        assert len(receiver.received()) == 2

        r = client.patch(
            f"/api/v1/bulletins/{b['id']}",
            json={"tlp": "AMBER+STRICT"},  # the owner agency only, now
            headers={**he, "If-Match": f'"{b["version"]}"'},
        )
        assert r.status_code == 200, r.text
        assert client.get(log, headers=hp).json()["items"] == []
        r = client.post(redeliver, headers=hp)
        assert r.status_code == 404, r.text
        assert {k: r.json()[k] for k in ("type", "title", "status")} == _missing(
            client, hp, hook["id"]
        )
        assert b["id"] not in r.text
        row = db.get(WebhookDelivery, uuid.UUID(listed[0]["id"]))
        db.refresh(row)
        assert row.status == "delivered" and row.next_attempt_at is None  # not queued again
        drain(worker(session_factory))
        assert len(receiver.received()) == 2


def test_a_reader_who_never_saw_the_item_cannot_redeliver_it(
    client, factory, auth, session_factory
):
    agency = factory.agency()
    admin = auth(factory.user(agency=agency, roles=["agency_admin"]))
    writer = factory.service_account(agency=agency, scopes=[*SCOPES, "bulletins:write"])
    hw = auth(writer)
    with receiving() as receiver:
        hook = subscribe(client, hw, receiver.url)
        draft = create(client, hw, tlp="GREEN")  # its author reads it; the admin does not
        drain(worker(session_factory))
        assert len(receiver.received()) == 1
    log = f"{API}/{hook['id']}/deliveries"
    [delivery] = client.get(log, headers=hw).json()["items"]
    assert delivery["resource_id"] == draft["id"]
    assert client.get(log, headers=admin).json()["items"] == []
    r = client.post(f"{log}/{delivery['id']}/redeliver", headers=admin)
    assert r.status_code == 404, r.text
    assert draft["id"] not in r.text
    assert client.post(f"{log}/{delivery['id']}/redeliver", headers=hw).status_code == 202
