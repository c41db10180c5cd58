"""Delivery to a real receiver: Standard Webhooks signatures verified as a partner would,
the same webhook-id on every retry, backoff, disabling, no redirects, no stray targets."""

import itertools
import json
import time
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from standardwebhooks import Webhook as Verifier
from standardwebhooks import WebhookVerificationError

from oversight.audit.models import AuditRecord
from oversight.webhooks.models import Webhook, WebhookDelivery
from tests.support.bulletins import create, publish
from tests.support.receiver import receiving
from tests.support.webhooks import API, allow_loopback, drain, subscribe, worker


@pytest.fixture(autouse=True)
def _loopback(app):
    allow_loopback(app)


@pytest.fixture
def receiver():
    with receiving() as r:
        yield r


def _partner(
    factory, auth, agency=None, scopes=("bulletins:read", "webhooks:read", "webhooks:write")
):
    account = factory.service_account(agency=agency, scopes=list(scopes))
    return account, auth(account)


def test_every_delivery_verifies_and_tampering_fails(
    client, factory, auth, receiver, session_factory
):
    editor = factory.user(roles=["editor"])
    h = auth(editor)
    _, hp = _partner(factory, auth, agency=None)
    hook = subscribe(client, hp, receiver.url)
    b = publish(client, h, create(client, h, tlp="GREEN"))
    drain(worker(session_factory))
    got = receiver.received()
    # Both events about the bulletin: it is readable (published) when they are delivered.
    assert [json.loads(body)["type"] for _, _, body in got] == [
        "bulletin.created",
        "bulletin.published",
    ]
    verifier = Verifier(hook["secret"])
    for _, headers, body in got:
        verifier.verify(body, headers)
    path, headers, body = got[1]
    event = verifier.verify(body, headers)
    assert path == "/hooks/oversight"
    assert event["data"] == {
        "resource_type": "bulletin",
        "resource_id": b["id"],
        "version": b["version"],
        "url": f"https://oversight.test/api/v1/bulletins/{b['id']}",
    }
    assert set(event) == {"type", "timestamp", "data"}
    assert headers["webhook-signature"].startswith("v1,")
    with pytest.raises(WebhookVerificationError):
        verifier.verify(body.replace(b"published", b"withdrawn"), headers)
    old = str(int(time.time()) - 301)
    with pytest.raises(WebhookVerificationError):
        verifier.verify(body, {**headers, "webhook-timestamp": old})
    listed = client.get(f"{API}/{hook['id']}/deliveries", headers=hp).json()["items"]
    assert [(d["id"], d["status"], d["attempts"]) for d in listed] == [
        (h["webhook-id"], "delivered", 1) for _, h, _ in reversed(got)
    ]
    r = client.post(f"{API}/{hook['id']}/deliveries/{listed[0]['id']}/redeliver", headers=hp)
    assert r.status_code == 202, r.text
    drain(worker(session_factory))
    again = receiver.received()[-1][1]
    assert again["webhook-id"] == headers["webhook-id"]
    r = client.post(f"{API}/{hook['id']}/test", headers=hp)
    assert r.status_code == 202
    drain(worker(session_factory))
    assert json.loads(receiver.received()[-1][2])["type"] == "webhook.test"
    Verifier(hook["secret"]).verify(receiver.received()[-1][2], receiver.received()[-1][1])


def test_reclassified_before_delivery_is_not_announced(
    client, factory, auth, receiver, session_factory
):
    h = auth(factory.user(roles=["editor"]))
    _, hp = _partner(factory, auth)
    subscribe(client, hp, receiver.url)
    b = publish(client, h, create(client, h, tlp="GREEN"))
    runner = worker(session_factory)
    runner.fan_out()  # the deliveries exist...
    r = client.patch(
        f"/api/v1/bulletins/{b['id']}", json={"tlp": "RED"}, headers={**h, "If-Match": '"2"'}
    )
    assert r.status_code == 200, r.text
    drain(runner)  # ...but the item is RED by the time they go
    assert receiver.received() == []


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def test_retries_grow_then_the_webhook_is_disabled(
    client, factory, auth, receiver, db, session_factory
):
    receiver.status = 500
    h = auth(factory.user(roles=["editor"]))
    _, hp = _partner(factory, auth)
    hook = subscribe(client, hp, receiver.url, event_types=["bulletin.published"])
    publish(client, h, create(client, h, tlp="GREEN"))
    clock = Clock()
    runner = worker(session_factory, clock=clock)
    times = []
    for _ in range(25):
        if runner.run_once():
            times.append(clock.now)
        row = db.scalars(
            select(WebhookDelivery).where(WebhookDelivery.webhook_id == uuid.UUID(hook["id"]))
        ).one()
        db.refresh(row)
        if row.next_attempt_at is None:
            break
        clock.now = max(clock.now, row.next_attempt_at)
    assert len(times) == 20 and len(receiver.received()) == 20
    gaps = [b - a for a, b in itertools.pairwise(times)]
    capped = timedelta(hours=1) * 0.75
    growing = [g for g in gaps if g < capped]
    assert growing == sorted(growing) and len(growing) >= 8
    assert {hdrs["webhook-id"] for _, hdrs, _ in receiver.received()} == {str(row.id)}
    assert row.status == "failed" and row.attempts == 20 and row.last_status_code == 500
    webhook = db.get(Webhook, uuid.UUID(hook["id"]))
    db.refresh(webhook)
    assert webhook.is_active is False
    disabled = db.scalars(
        select(AuditRecord).where(
            AuditRecord.resource_id == hook["id"], AuditRecord.action == "webhook.disable"
        )
    ).one()
    assert disabled.actor_type == "system"


def test_a_redirect_is_not_followed(client, factory, auth, receiver, session_factory):
    receiver.status, receiver.location = 307, "http://127.0.0.1:9/elsewhere"
    h = auth(factory.user(roles=["editor"]))
    _, hp = _partner(factory, auth)
    hook = subscribe(client, hp, receiver.url, event_types=["bulletin.published"])
    publish(client, h, create(client, h, tlp="GREEN"))
    worker(session_factory).run_once()
    assert len(receiver.received()) == 1
    d = client.get(f"{API}/{hook['id']}/deliveries", headers=hp).json()["items"][0]
    assert d["status"] == "pending" and d["last_status_code"] == 307 and d["next_attempt_at"]


def test_a_target_no_longer_allowed_is_not_contacted(
    client, factory, auth, receiver, session_factory
):
    h = auth(factory.user(roles=["editor"]))
    _, hp = _partner(factory, auth)
    hook = subscribe(client, hp, receiver.url, event_types=["bulletin.published"])
    publish(client, h, create(client, h, tlp="GREEN"))
    runner = worker(session_factory)
    runner.allowed = ["partner.example"]
    runner.run_once()
    assert receiver.received() == []
    d = client.get(f"{API}/{hook['id']}/deliveries", headers=hp).json()["items"][0]
    assert d["status"] == "pending" and "allow-list" in d["last_error"]


def test_the_delivery_log_hides_items_the_reader_cannot_read(
    client, factory, auth, receiver, session_factory
):
    agency = factory.agency()
    admin = auth(factory.user(agency=agency, roles=["agency_admin"]))
    writer, hw = _partner(
        factory,
        auth,
        agency=agency,
        scopes=("bulletins:read", "bulletins:write", "webhooks:read", "webhooks:write"),
    )
    hook = subscribe(client, hw, receiver.url)
    create(client, hw, tlp="GREEN")  # a draft: its author and the agency's writers read it
    drain(worker(session_factory))
    assert len(receiver.received()) == 1
    log = f"{API}/{hook['id']}/deliveries"
    assert [d["type"] for d in client.get(log, headers=hw).json()["items"]] == ["bulletin.created"]
    assert client.get(log, headers=admin).json()["items"] == []
    assert writer.agency_id == agency.id
