"""Nothing is lost when a worker dies: `oversight worker` processes on a committed database,
one SIGKILLed mid-way and restarted; and two at once on PostgreSQL share the queue.

200 events, as the issue asks; each test runs in under 10 s here."""

import json
import signal
import time
from collections import defaultdict

import pytest
from fastapi.testclient import TestClient

from tests.support.bulletins import create
from tests.support.factories import Factory
from tests.support.receiver import Receiver, receiving
from tests.support.webhooks import subscribe, worker_process, world  # noqa: F401

EVENTS = 200


def _changes(client: TestClient, factory: Factory, receiver: Receiver) -> None:
    """A partner system that writes bulletins of its agency (so it reads its drafts) and
    hears of them by webhook: one `bulletin.created` per bulletin."""
    partner = factory.service_account(
        scopes=["bulletins:read", "bulletins:write", "webhooks:write"]
    )
    h = factory.headers(partner)
    factory.session.rollback()  # its reads above hold SQLite's write lock until they end
    subscribe(client, h, receiver.url)
    for n in range(EVENTS):
        create(client, h, title=f"Bulletin number {n}")


def _by_item(receiver: Receiver) -> dict[str, set[str]]:
    ids: dict[str, set[str]] = defaultdict(set)
    for _, headers, body in receiver.received():
        ids[json.loads(body)["data"]["resource_id"]].add(headers["webhook-id"])
    return ids


def _until(test, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while not test():
        if time.monotonic() > deadline:
            pytest.fail("timed out waiting for deliveries")
        time.sleep(0.05)


def test_a_killed_worker_loses_nothing(world, tmp_path):  # noqa: F811
    url, client, factory = world
    with receiving() as receiver:
        _changes(client, factory, receiver)
        first = worker_process(url, tmp_path, 2)
        _until(lambda: len(receiver.received()) >= EVENTS // 4)
        first.send_signal(signal.SIGKILL)
        first.wait(10)
        assert len(_by_item(receiver)) < EVENTS  # killed mid-way
        second = worker_process(url, tmp_path, 2)
        try:
            _until(lambda: len(_by_item(receiver)) == EVENTS)
        finally:
            second.send_signal(signal.SIGTERM)
            assert second.wait(15) == 0  # a graceful stop
        ids = _by_item(receiver)
        # Every event arrived, each under one webhook-id, whichever worker sent it.
        assert len(ids) == EVENTS and all(len(v) == 1 for v in ids.values())


@pytest.mark.postgres_only
def test_two_workers_deliver_each_event_once(world, tmp_path):  # noqa: F811
    url, client, factory = world
    with receiving() as receiver:
        _changes(client, factory, receiver)
        # A lease longer than any delivery here: "once" in the normal case, not a race.
        workers = [worker_process(url, tmp_path, 60) for _ in range(2)]
        try:
            _until(lambda: len(_by_item(receiver)) == EVENTS)
            time.sleep(1.0)  # room for a duplicate to show up
        finally:
            for w in workers:
                w.send_signal(signal.SIGTERM)
            assert [w.wait(15) for w in workers] == [0, 0]
        assert len(receiver.received()) == EVENTS
