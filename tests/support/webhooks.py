"""Webhook test steps: a webhook on a receiver, a worker on the test's database."""

import os
import subprocess
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from oversight.db import make_engine, make_sessionmaker, migrations
from oversight.main import create_app
from oversight.webhooks.worker import Worker
from tests.support.databases import TEST_SECRET, make_settings
from tests.support.factories import Factory
from tests.support.live import oversight_command

API = "/api/v1/webhooks"


def allow_loopback(app: Any) -> None:
    app.state.settings = app.state.settings.model_copy(
        update={"webhook_allowed_hosts": ["127.0.0.1"]}
    )


def subscribe(client: TestClient, headers: dict[str, str], url: str, **body: Any) -> dict[str, Any]:
    r = client.post(API, json={"url": url, **body}, headers=headers)
    assert r.status_code == 201, r.text
    return r.json()


def worker(session_factory: Any, **kw: Any) -> Worker:
    """A worker in the test's own transaction: one connection, so one delivery at a time
    (the `oversight worker` processes of test_loss.py send several at once)."""
    return Worker(
        session_factory,
        allowed=["127.0.0.1"],
        public_url="https://oversight.test",
        concurrency=1,
        **kw,
    )


def drain(runner: Worker, rounds: int = 20) -> None:
    for _ in range(rounds):
        if runner.run_once() == 0:
            return
    pytest.fail("the worker never ran out of work")


@pytest.fixture
def world(databases: Any, tmp_path: Any) -> Iterator[tuple[str, TestClient, Factory]]:
    """A fresh database whose commits are real (for processes of their own), and an app."""
    url = databases.new_url()
    engine = make_engine(url)
    migrations.upgrade(engine)
    settings = make_settings(url, tmp_path, webhook_allowed_hosts=["127.0.0.1"])
    app = create_app(settings, engine)
    session = make_sessionmaker(engine)()
    with TestClient(app, raise_server_exceptions=False) as client:
        yield url, client, Factory(session, app.state.tokens)
    session.close()
    engine.dispose()


def worker_process(url: str, home: Any, lease: int) -> "subprocess.Popen[bytes]":
    """An `oversight worker` process on a committed database, taking 5 at a time."""
    env = {
        **os.environ,
        "OVERSIGHT_DATABASE_URL": url,
        "OVERSIGHT_SECRET_KEY": TEST_SECRET,
        "OVERSIGHT_WEBHOOK_ALLOWED_HOSTS": "127.0.0.1",
        "OVERSIGHT_LOG_LEVEL": "WARNING",
    }
    cmd = [*oversight_command(), "worker", "--batch", "5", "--lease-seconds", str(lease)]
    return subprocess.Popen([*cmd, "--idle-seconds", "0.05"], env=env, cwd=home)
