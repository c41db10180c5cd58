"""The claim rules: what a worker read is taken only if it still holds when it writes, so
two workers never both send one event, and a webhook changed between the read and the write
has nothing sent as it was."""

import json
import signal
import time
import uuid
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from standardwebhooks import Webhook as Verifier

from oversight.audit.recorder import SYSTEM
from oversight.db import unit_of_work, utcnow
from oversight.webhooks import claims
from oversight.webhooks.models import WebhookDelivery
from tests.support.bulletins import create, publish
from tests.support.receiver import receiving
from tests.support.webhooks import (
    API,
    allow_loopback,
    drain,
    subscribe,
    worker,
    worker_process,
    world,  # noqa: F401
)

LEASE = timedelta(minutes=2)
SCOPES = ["bulletins:read", "webhooks:read", "webhooks:write"]


@pytest.fixture(autouse=True)
def _loopback(app):
    allow_loopback(app)


@pytest.fixture
def receiver():
    with receiving() as r:
        yield r


def _read(session_factory, batch=50):
    with session_factory() as session:
        return claims.read(session, utcnow, batch)


def _take(session_factory, plan):
    with unit_of_work(session_factory, actor=SYSTEM) as session:
        return claims.take(session, plan, LEASE)


def _published(client, factory, auth, receiver, n=3):
    """A partner's webhook, and `n` GREEN bulletins published (two events each)."""
    he = auth(factory.user(roles=["editor"]))
    hp = auth(factory.service_account(scopes=SCOPES))
    hook = subscribe(client, hp, receiver.url)
    for _ in range(n):
        publish(client, he, create(client, he, tlp="GREEN"))
    return hook, hp


def _count(db, hook):
    stmt = select(func.count()).where(WebhookDelivery.webhook_id == uuid.UUID(hook["id"]))
    return db.scalar(stmt)


def test_two_workers_reading_the_same_fan_out_make_it_once(
    client, factory, auth, receiver, db, session_factory
):
    hook, _ = _published(client, factory, auth, receiver)
    first, second = _read(session_factory), _read(session_factory)
    assert [len(m.rows) for m in first.moves] == [len(m.rows) for m in second.moves] == [6]
    taken = _take(session_factory, first)
    assert len(taken) == 6
    assert _take(session_factory, second) == []  # the position moved: nothing made twice
    assert _count(db, hook) == 6
    runner = worker(session_factory)
    runner.settle(runner.send(taken))
    drain(runner)
    assert len(receiver.received()) == 6
    assert len({h["webhook-id"] for _, h, _ in receiver.received()}) == 6


def test_two_workers_reading_the_same_due_deliveries_lease_each_once(
    client, factory, auth, receiver, session_factory
):
    _published(client, factory, auth, receiver)
    runner = worker(session_factory)
    assert runner.fan_out() == 6  # made, leased by no one
    first, second = _read(session_factory), _read(session_factory)
    ids = [c.delivery_id for _, due in first.due for c in due]
    assert len(ids) == 6 and ids == [c.delivery_id for _, due in second.due for c in due]
    taken = _take(session_factory, first)
    assert [c.delivery_id for c in taken] == ids
    assert _take(session_factory, second) == []  # leased by the first meanwhile
    assert drain(runner) is None and receiver.received() == []  # nor taken by a third
    runner.settle(runner.send(taken))
    assert sorted(h["webhook-id"] for _, h, _ in receiver.received()) == sorted(map(str, ids))


def test_a_webhook_disabled_after_the_read_is_not_sent_to(
    client, factory, auth, receiver, db, session_factory
):
    hook, hp = _published(client, factory, auth, receiver, n=1)
    worker(session_factory).fan_out()
    plan = _read(session_factory)
    assert plan.due
    r = client.patch(
        f"{API}/{hook['id']}", json={"is_active": False}, headers={**hp, "If-Match": '"1"'}
    )
    assert r.status_code == 200, r.text
    assert _take(session_factory, plan) == []
    drain(worker(session_factory))
    assert receiver.received() == []
    statuses = db.scalars(
        select(WebhookDelivery.status).where(WebhookDelivery.webhook_id == uuid.UUID(hook["id"]))
    )
    assert set(statuses) == {"failed"}


def test_a_secret_rotated_after_the_read_signs_what_is_sent(
    client, factory, auth, receiver, session_factory
):
    hook, hp = _published(client, factory, auth, receiver, n=1)
    plan = _read(session_factory)  # the fan-out as read, with the old secret
    r = client.post(f"{API}/{hook['id']}/rotate-secret", headers=hp)
    assert r.status_code == 200, r.text
    assert _take(session_factory, plan) == []  # the webhook changed: nothing made or leased
    drain(worker(session_factory))
    got = receiver.received()
    assert len(got) == 2
    for _, headers, body in got:
        Verifier(r.json()["secret"]).verify(body, headers)


def test_two_worker_processes_deliver_each_event_once(world, tmp_path):  # noqa: F811
    url, client, factory = world
    partner = factory.service_account(scopes=["bulletins:read", "bulletins:write", *SCOPES])
    h = factory.headers(partner)
    factory.session.rollback()  # its reads above hold SQLite's write lock until they end
    with receiving() as receiver:
        subscribe(client, h, receiver.url)
        # A lease longer than any delivery here: "once" in the normal case, not a race.
        workers = [worker_process(url, tmp_path, lease=60) for _ in range(2)]
        try:
            for n in range(100):
                create(client, h, title=f"Bulletin number {n}")
            deadline = time.monotonic() + 60
            while len(receiver.received()) < 100 and time.monotonic() < deadline:
                time.sleep(0.05)
            time.sleep(1.0)  # room for a duplicate to show up
        finally:
            for w in workers:
                w.send_signal(signal.SIGTERM)
            assert [w.wait(15) for w in workers] == [0, 0]
        got = Counter(json.loads(b)["data"]["resource_id"] for _, _, b in receiver.received())
        assert len(got) == 100 and set(got.values()) == {1}
