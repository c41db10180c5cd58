"""Every authentication event leaves its record; an attempted password never does."""

import json

from tests.support.audit import as_json, records
from tests.support.factories import DEFAULT_PASSWORD

TOKEN = "/api/v1/auth/token"
WRONG = "not-the-password-at-all"


def _login(client, email, password=DEFAULT_PASSWORD):
    return client.post(
        TOKEN, data={"grant_type": "password", "username": email, "password": password}
    )


def _refresh(client, token):
    return client.post(TOKEN, data={"grant_type": "refresh_token", "refresh_token": token})


def _only(db, action):
    found = records(db, action=action)
    assert len(found) == 1, [r.action for r in records(db)]
    return found[0]


def test_login_success(client, db, factory):
    user = factory.user()
    r = _login(client, user.email)
    assert r.status_code == 200, r.text
    rec = _only(db, "auth.login")
    assert (rec.actor_type, rec.actor_id, rec.agency_id) == (
        "user",
        str(user.id),
        str(user.agency_id),
    )
    assert (rec.resource_type, rec.resource_id, rec.outcome) == ("user", str(user.id), "success")
    assert rec.changes["grant_type"] == "password"
    assert rec.request_id == r.headers["x-request-id"]
    assert DEFAULT_PASSWORD not in as_json(rec)


def test_login_failure_records_the_email_never_the_password(client, db, factory):
    user = factory.user()
    assert _login(client, user.email.upper(), WRONG).status_code == 400
    assert _login(client, "nobody@example.org", WRONG).status_code == 400
    failed = records(db, action="auth.login_failed")
    known, unknown = (r.changes for r in failed)
    assert known == {"account": user.email}
    # A name that matches no account may be a password typed into the wrong box: kept only
    # as a fixed-size keyed digest, the same for the same name so attempts can be grouped.
    assert unknown["account"] == "(unknown)" and "nobody" not in as_json(failed[1])
    assert len(unknown["account_key"]) < 80
    for rec in failed:
        assert rec.actor_type == "anonymous" and rec.outcome == "failure"
    for rec in records(db):
        assert WRONG not in as_json(rec)


def test_client_credentials_login_and_failure(client, db, factory):
    sa = factory.service_account()
    secret = factory.secrets[sa.id]
    ok = client.post(
        TOKEN,
        data={
            "grant_type": "client_credentials",
            "client_id": sa.client_id,
            "client_secret": secret,
        },
    )
    assert ok.status_code == 200, ok.text
    rec = _only(db, "auth.login")
    assert (rec.actor_type, rec.actor_id) == ("service", str(sa.id))
    bad = client.post(
        TOKEN,
        data={
            "grant_type": "client_credentials",
            "client_id": sa.client_id,
            "client_secret": WRONG,
        },
    )
    assert bad.status_code == 401
    assert _only(db, "auth.client_failed").changes == {"account": sa.client_id}


def test_refresh_reuse_and_revoke(client, db, factory):
    user = factory.user()
    first = _login(client, user.email).json()["refresh_token"]
    second = _refresh(client, first)
    assert second.status_code == 200, second.text
    rec = _only(db, "auth.refresh")
    assert (rec.actor_id, rec.resource_id) == (str(user.id), str(user.id))

    assert _refresh(client, first).status_code == 400  # used twice: theft
    reuse = _only(db, "auth.refresh_reuse")
    assert reuse.outcome == "denied" and reuse.actor_id == str(user.id)

    third = _login(client, user.email).json()["refresh_token"]
    assert client.post("/api/v1/auth/revoke", data={"token": third}).status_code == 200
    revoke = _only(db, "auth.revoke")
    assert revoke.resource_id == str(user.id) and "family_id" in revoke.changes


def test_logout(client, db, factory, auth):
    user = factory.user()
    r = client.post("/api/v1/auth/logout", headers=auth(user))
    assert r.status_code == 204
    rec = _only(db, "auth.logout")
    assert (rec.actor_type, rec.actor_id, rec.resource_id) == ("user", str(user.id), str(user.id))


def test_lockout(client, db, factory, settings):
    user = factory.user()
    for _ in range(settings.lockout_threshold):
        assert _login(client, user.email, WRONG).status_code == 400
    r = _login(client, user.email)  # even the right password, while locked out
    assert r.status_code == 429 and r.headers["retry-after"]
    rec = _only(db, "auth.lockout")
    assert rec.outcome == "denied" and rec.changes == {"account": user.email}
    assert len(records(db, action="auth.login_failed")) == settings.lockout_threshold
    assert records(db, action="auth.login") == []
    assert DEFAULT_PASSWORD not in json.dumps([as_json(x) for x in records(db)])


def test_permission_denied(client, db, factory, auth):
    sa = factory.service_account(scopes=["bulletins:read"])
    r = client.get("/api/v1/audit", headers=auth(sa))
    assert r.status_code == 403
    rec = _only(db, "auth.permission_denied")
    assert (rec.actor_type, rec.actor_id, rec.outcome) == ("service", str(sa.id), "denied")
