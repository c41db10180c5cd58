"""The password grant: no account oracle, brute-force lockout (across workers), password rules."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from oversight.audit import recorder
from oversight.main import create_app
from tests.support.auth import ME_URL, assert_problem, bearer, login, tokens
from tests.support.databases import make_settings
from tests.support.factories import DEFAULT_PASSWORD, Factory

PASSWORD_URL = "/api/v1/me/password"
WRONG = "definitely not the password"


def comparable(body: dict) -> dict:
    return {k: v for k, v in body.items() if k not in ("request_id", "instance")}


def test_unknown_email_and_wrong_password_answer_identically(client, factory):
    user = factory.user()
    wrong_password = login(client, user.email, WRONG)
    unknown_email = login(client, "nobody-" + user.email, WRONG)
    assert wrong_password.status_code == unknown_email.status_code == 400
    assert comparable(wrong_password.json()) == comparable(unknown_email.json())
    assert wrong_password.json()["error"] == "invalid_grant"
    assert WRONG not in wrong_password.text


def test_disabled_user_answers_like_a_wrong_password(client, factory, db):
    user = factory.user()
    user.is_active = False
    db.commit()
    disabled = login(client, user.email, DEFAULT_PASSWORD)
    unknown = login(client, "nobody@example.org", DEFAULT_PASSWORD)
    assert disabled.status_code == unknown.status_code == 400
    assert comparable(disabled.json()) == comparable(unknown.json())


def test_email_is_matched_case_insensitively(client, factory):
    user = factory.user()
    assert login(client, user.email.upper(), DEFAULT_PASSWORD).status_code == 200


def test_sixth_failed_login_within_the_window_is_refused_with_retry_after(client, factory):
    user = factory.user()
    for _ in range(5):
        assert_problem(login(client, user.email, WRONG), 400, "invalid_grant")
    locked = login(client, user.email, WRONG)
    assert_problem(locked, 429)
    assert 0 < int(locked.headers["retry-after"]) <= 15 * 60
    # While locked out, even the right password is refused.
    assert_problem(login(client, user.email, DEFAULT_PASSWORD), 429)
    # Other accounts are not affected.
    other = factory.user()
    assert login(client, other.email, DEFAULT_PASSWORD).status_code == 200


def test_a_successful_login_clears_the_failure_count(client, factory):
    user = factory.user()
    for _ in range(4):
        login(client, user.email, WRONG)
    assert login(client, user.email, DEFAULT_PASSWORD).status_code == 200
    for _ in range(4):
        assert login(client, user.email, WRONG).status_code == 400


def test_lockout_holds_across_two_app_instances_sharing_the_database(databases, tmp_path):
    """Two workers (separate apps, engines and connection pools) share one count."""
    migrated = databases.migrated_engine()
    settings = make_settings(migrated.url.render_as_string(hide_password=False), tmp_path)
    migrated.dispose()
    apps = [create_app(settings), create_app(settings)]
    assert apps[0].state.engine is not apps[1].state.engine
    try:
        with Session(apps[0].state.engine) as session:
            session.info["actor"] = recorder.SYSTEM
            email = Factory(session, apps[0].state.tokens).user().email
        with TestClient(apps[0]) as worker_a, TestClient(apps[1]) as worker_b:
            for attempt in range(5):
                worker = (worker_a, worker_b)[attempt % 2]
                assert_problem(login(worker, email, WRONG), 400, "invalid_grant")
            for worker in (worker_b, worker_a):
                locked = login(worker, email, DEFAULT_PASSWORD)
                assert_problem(locked, 429)
                assert int(locked.headers["retry-after"]) > 0
    finally:
        for app in apps:
            app.state.engine.dispose()


def change_password(client, headers, new, current=DEFAULT_PASSWORD):
    return client.post(
        PASSWORD_URL, json={"current_password": current, "new_password": new}, headers=headers
    )


@pytest.mark.parametrize("length", [0, 11])
def test_a_password_shorter_than_12_characters_is_refused(client, factory, length):
    user = factory.user()
    headers = bearer(tokens(client, user.email, DEFAULT_PASSWORD)["access_token"])
    short = "Zq9#wX2$vB7!"[:length]
    r = change_password(client, headers, short)
    body = assert_problem(r, 422)
    assert [e["loc"] for e in body["errors"]] == [["body", "new_password"]]
    # The error never echoes what was submitted.
    assert DEFAULT_PASSWORD not in r.text
    assert not short or short not in r.text
    assert client.get(ME_URL, headers=headers).status_code == 200


@pytest.mark.parametrize("length", [12, 64])
def test_a_password_of_12_to_64_characters_works(client, factory, length):
    user = factory.user()
    headers = bearer(tokens(client, user.email, DEFAULT_PASSWORD)["access_token"])
    new = ("correct-horse-battery-staple-" * 3)[:length]
    assert change_password(client, headers, new).status_code == 204
    assert login(client, user.email, new).status_code == 200


def test_a_password_differing_only_after_byte_72_does_not_log_in(client, factory):
    """No bcrypt-style truncation: every byte of a long password counts."""
    user = factory.user()
    headers = bearer(tokens(client, user.email, DEFAULT_PASSWORD)["access_token"])
    head = "seventy-two bytes of an unrepeated passphrase, then eight more: ok!!!!!!"
    password = head + "ABCDEFGH"
    assert len(head.encode()) == 72 and len(password.encode()) == 80
    assert change_password(client, headers, password).status_code == 204
    assert login(client, user.email, password).status_code == 200
    for almost in (head + "ABCDEFGX", head + "XBCDEFGH", head):
        assert_problem(login(client, user.email, almost), 400, "invalid_grant")


def test_password_grant_refuses_a_scope_the_roles_do_not_give(client, factory):
    user = factory.user()
    r = login(client, user.email, DEFAULT_PASSWORD, scope="bulletins:read admin")
    assert_problem(r, 400, "invalid_scope")
    narrowed = login(client, user.email, DEFAULT_PASSWORD, scope="meetings:read")
    assert narrowed.status_code == 200, narrowed.text
    assert narrowed.json()["scope"] == "meetings:read"
    me = client.get(ME_URL, headers=bearer(narrowed.json()["access_token"]))
    assert me.json()["scopes"] == ["meetings:read"]
