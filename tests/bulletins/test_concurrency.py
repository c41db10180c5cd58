"""Optimistic concurrency and idempotent creation of bulletins."""

import threading

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from oversight.audit import recorder
from oversight.bulletins.models import Bulletin
from oversight.main import create_app
from tests.support.bulletins import API, create, payload
from tests.support.databases import make_settings
from tests.support.factories import Factory


def test_stale_if_match_is_412_and_changes_nothing(client, factory, auth):
    h = auth(factory.user(roles=["editor"]))
    b = create(client, h)
    fresh = client.patch(
        f"{API}/{b['id']}", json={"title": "First edit"}, headers={**h, "If-Match": '"1"'}
    )
    assert fresh.status_code == 200
    for method, suffix, body in (
        ("PATCH", "", {"title": "Second edit"}),
        ("POST", "/publish", None),
    ):
        r = client.request(
            method, f"{API}/{b['id']}{suffix}", json=body, headers={**h, "If-Match": '"1"'}
        )
        assert r.status_code == 412, r.text
    assert client.get(f"{API}/{b['id']}", headers=h).json() == fresh.json()


def test_same_idempotency_key_creates_one_bulletin(client, factory, auth, db):
    h = {**auth(factory.user(roles=["editor"])), "Idempotency-Key": "create-ransomware-1"}
    answers = [client.post(API, json=payload(), headers=h) for _ in range(3)]
    assert [a.status_code for a in answers] == [201, 201, 201]
    assert len({a.json()["id"] for a in answers}) == 1
    assert answers[0].headers["location"].endswith(answers[0].json()["id"])
    assert db.scalar(select(func.count()).select_from(Bulletin)) == 1
    other = client.post(API, json=payload(title="A different bulletin"), headers=h)
    assert other.status_code == 422
    assert db.scalar(select(func.count()).select_from(Bulletin)) == 1


def test_two_concurrent_edits_with_one_etag_one_wins(databases, tmp_path):
    engine = databases.migrated_engine()
    try:
        settings = make_settings(engine.url.render_as_string(hide_password=False), tmp_path)
        app = create_app(settings, engine)
        recorder.install()
        with Session(engine, expire_on_commit=False) as session:
            session.info["actor"] = recorder.SYSTEM
            factory = Factory(session, app.state.tokens)
            editor = factory.user(roles=["editor"])
            h = factory.headers(editor)
        with TestClient(app, raise_server_exceptions=False) as client:
            b = create(client, h)
            gate = threading.Barrier(2)
            results: list[tuple[int, str]] = []

            def edit(title: str) -> None:
                gate.wait()
                r = client.patch(
                    f"{API}/{b['id']}", json={"title": title}, headers={**h, "If-Match": '"1"'}
                )
                results.append((r.status_code, title))

            threads = [
                threading.Thread(target=edit, args=(t,)) for t in ("Edit by one", "Edit by two")
            ]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            assert sorted(code for code, _ in results) == [200, 412]
            winner = next(title for code, title in results if code == 200)
            now = client.get(f"{API}/{b['id']}", headers=h).json()
            assert now["title"] == winner and now["version"] == 2
    finally:
        engine.dispose()
