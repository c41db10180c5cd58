"""The feed under concurrent writers on PostgreSQL: 4 processes x 250 transactions that
commit in an order of their own, while a reader pages through /changes; it must see every
event exactly once (positions are given at commit: migration 0009)."""

import multiprocessing
import random
import time
import uuid

import pytest
from sqlalchemy import insert, select

from oversight.changes.models import ChangeEvent
from oversight.db import make_engine, utcnow
from tests.support.bulletins import create, publish
from tests.support.changes import CHANGES
from tests.support.webhooks import world  # noqa: F401

WRITERS, CHANGES_EACH = 4, 250


def _write(url: str, bulletin_id: str, seed: int) -> None:
    """Each transaction inserts its event, then dawdles before COMMIT, so transactions
    that began later often commit first."""
    rng = random.Random(seed)
    engine = make_engine(url)
    item = uuid.UUID(bulletin_id)
    for n in range(CHANGES_EACH):
        with engine.begin() as conn:
            row = {"type": "bulletin.updated", "resource_type": "bulletin"}
            row |= {"resource_id": item, "version": n + 2, "at": utcnow(), "id": uuid.uuid4()}
            conn.execute(insert(ChangeEvent.__table__), row)
            time.sleep(rng.random() * 0.004)
    engine.dispose()


@pytest.mark.postgres_only
def test_a_reader_paging_during_writes_sees_each_event_once(world):  # noqa: F811
    url, client, factory = world
    editor = factory.user(roles=["editor"])
    h = factory.headers(editor)
    factory.session.rollback()
    items = [publish(client, h, create(client, h, tlp="CLEAR"))["id"] for _ in range(WRITERS)]
    cursor = client.get(CHANGES, headers=h).json()["next_cursor"]
    spawn = multiprocessing.get_context("spawn")
    writers = [spawn.Process(target=_write, args=(url, i, n)) for n, i in enumerate(items)]
    for w in writers:
        w.start()
    seen: list[str] = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        done = not any(w.is_alive() for w in writers)
        page = client.get(CHANGES, params={"after": cursor, "limit": 37}, headers=h).json()
        seen += [e["id"] for e in page["items"]]
        cursor = page["next_cursor"]
        if done and not page["items"]:
            break
    for w in writers:
        w.join(10)
        assert w.exitcode == 0
    written = factory.session.scalars(
        select(ChangeEvent.id).where(ChangeEvent.type == "bulletin.updated")
    ).all()
    assert len(written) == WRITERS * CHANGES_EACH
    assert len(seen) == len(set(seen)) == len(written)
    assert set(seen) == {str(i) for i in written}
