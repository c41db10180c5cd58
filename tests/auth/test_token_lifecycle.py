"""Refresh rotation and theft detection, revocation, logout and password change."""

from tests.support.auth import (
    ME_URL,
    assert_problem,
    assert_unauthorized,
    bearer,
    login,
    refresh,
    tokens,
)
from tests.support.factories import DEFAULT_PASSWORD

REVOKE_URL = "/api/v1/auth/revoke"
LOGOUT_URL = "/api/v1/auth/logout"
PASSWORD_URL = "/api/v1/me/password"
NEW_PASSWORD = "a brand new passphrase 42"


def test_refresh_rotates_the_pair(client, factory):
    user = factory.user()
    first = tokens(client, user.email, DEFAULT_PASSWORD)
    r = refresh(client, first["refresh_token"])
    assert r.status_code == 200, r.text
    second = r.json()
    assert second["refresh_token"] != first["refresh_token"]
    assert second["access_token"] != first["access_token"]
    assert second["scope"] == first["scope"]
    assert r.headers["cache-control"] == "no-store"
    assert client.get(ME_URL, headers=bearer(second["access_token"])).status_code == 200
    # The rotated token keeps rotating.
    third = refresh(client, second["refresh_token"])
    assert third.status_code == 200, third.text


def test_refresh_can_narrow_but_not_widen_the_scope(client, factory):
    user = factory.user()
    first = tokens(client, user.email, DEFAULT_PASSWORD)
    wider = client.post(
        "/api/v1/auth/token",
        data={
            "grant_type": "refresh_token",
            "refresh_token": first["refresh_token"],
            "scope": "bulletins:read admin",
        },
    )
    assert_problem(wider, 400, "invalid_scope")
    second = tokens(client, user.email, DEFAULT_PASSWORD)
    narrower = client.post(
        "/api/v1/auth/token",
        data={
            "grant_type": "refresh_token",
            "refresh_token": second["refresh_token"],
            "scope": "bulletins:read",
        },
    )
    assert narrower.status_code == 200, narrower.text
    assert narrower.json()["scope"] == "bulletins:read"


def test_reusing_a_used_refresh_token_revokes_the_whole_family(client, factory):
    user = factory.user()
    stolen = tokens(client, user.email, DEFAULT_PASSWORD)["refresh_token"]
    newest = refresh(client, stolen).json()["refresh_token"]
    # The thief (or the victim) replays the used token: refused, and the family is burnt.
    assert_problem(refresh(client, stolen), 400, "invalid_grant")
    assert_problem(refresh(client, newest), 400, "invalid_grant")
    # Another login starts a fresh family that is unaffected.
    other = tokens(client, user.email, DEFAULT_PASSWORD)["refresh_token"]
    assert refresh(client, other).status_code == 200


def test_unknown_refresh_token_is_invalid_grant(client):
    assert_problem(refresh(client, "ovr_not-a-real-token"), 400, "invalid_grant")
    missing = client.post("/api/v1/auth/token", data={"grant_type": "refresh_token"})
    assert_problem(missing, 400, "invalid_request")


def test_revoke_kills_the_refresh_token_and_its_family(client, factory):
    user = factory.user()
    first = tokens(client, user.email, DEFAULT_PASSWORD)["refresh_token"]
    rotated = refresh(client, first).json()["refresh_token"]
    r = client.post(REVOKE_URL, data={"token": rotated, "token_type_hint": "refresh_token"})
    assert r.status_code == 200, r.text
    assert_problem(refresh(client, rotated), 400, "invalid_grant")
    # A family never outlives its revocation, whichever member was revoked.
    assert_problem(refresh(client, first), 400, "invalid_grant")


def test_revoke_answers_200_for_an_unknown_token_and_422_without_one(client):
    assert client.post(REVOKE_URL, data={"token": "ovr_unknown"}).status_code == 200
    assert_problem(client.post(REVOKE_URL, data={}), 422)


def test_logout_kills_the_current_access_token_on_the_next_request(client, factory):
    user = factory.user()
    pair = tokens(client, user.email, DEFAULT_PASSWORD)
    headers = bearer(pair["access_token"])
    assert client.get(ME_URL, headers=headers).status_code == 200
    r = client.post(LOGOUT_URL, headers=headers)
    assert r.status_code == 204, r.text
    assert_unauthorized(client.get(ME_URL, headers=headers))
    assert_problem(refresh(client, pair["refresh_token"]), 400, "invalid_grant")
    # Logging in again works.
    again = tokens(client, user.email, DEFAULT_PASSWORD)
    assert client.get(ME_URL, headers=bearer(again["access_token"])).status_code == 200


def test_logout_of_a_service_account_kills_its_token(client, factory):
    partner = factory.service_account()
    headers = factory.headers(partner)
    assert client.post(LOGOUT_URL, headers=headers).status_code == 204
    assert_unauthorized(client.get(ME_URL, headers=headers))


def test_logout_needs_a_token(client):
    assert_unauthorized(client.post(LOGOUT_URL))


def test_password_change_kills_every_old_token(client, factory):
    user = factory.user()
    before = tokens(client, user.email, DEFAULT_PASSWORD)
    other_session = tokens(client, user.email, DEFAULT_PASSWORD)
    r = client.post(
        PASSWORD_URL,
        json={"current_password": DEFAULT_PASSWORD, "new_password": NEW_PASSWORD},
        headers=bearer(before["access_token"]),
    )
    assert r.status_code == 204, r.text
    for pair in (before, other_session):
        assert_unauthorized(client.get(ME_URL, headers=bearer(pair["access_token"])))
        assert_problem(refresh(client, pair["refresh_token"]), 400, "invalid_grant")
    assert_problem(login(client, user.email, DEFAULT_PASSWORD), 400, "invalid_grant")
    after = tokens(client, user.email, NEW_PASSWORD)
    assert client.get(ME_URL, headers=bearer(after["access_token"])).status_code == 200


def test_password_change_needs_the_current_password(client, factory):
    user = factory.user()
    headers = bearer(tokens(client, user.email, DEFAULT_PASSWORD)["access_token"])
    wrong = "not my password at all"
    r = client.post(
        PASSWORD_URL,
        json={"current_password": wrong, "new_password": NEW_PASSWORD},
        headers=headers,
    )
    body = assert_problem(r, 422)
    assert wrong not in r.text and NEW_PASSWORD not in r.text
    assert body["errors"][0]["loc"] == ["body", "current_password"]
    # Nothing changed: the token still works and the old password still logs in.
    assert client.get(ME_URL, headers=headers).status_code == 200
    assert login(client, user.email, DEFAULT_PASSWORD).status_code == 200


def test_a_service_account_has_no_password_to_change(client, factory):
    partner = factory.service_account()
    r = client.post(
        PASSWORD_URL,
        json={"current_password": "whatever it is", "new_password": NEW_PASSWORD},
        headers=factory.headers(partner),
    )
    assert_problem(r, 403)
