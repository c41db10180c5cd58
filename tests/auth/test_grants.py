"""The client-credentials grant for partner systems, and the grant-type errors of RFC 6749."""

import base64

import pytest

from tests.support.auth import ME_URL, TOKEN_URL, assert_problem, bearer


def basic(client_id: str, secret: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()}


@pytest.fixture
def partner(factory):
    sa = factory.service_account(scopes=["bulletins:read", "bulletins:write"])
    return sa, factory.secrets[sa.id]


def check_service_token(client, sa, r, scope="bulletins:read bulletins:write"):
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["token_type"] == "bearer" and body["expires_in"] > 0
    assert body["scope"] == scope
    assert "refresh_token" not in body
    me = client.get(ME_URL, headers=bearer(body["access_token"]))
    assert me.status_code == 200, me.text
    assert me.json()["kind"] == "service" and me.json()["client_id"] == sa.client_id
    assert me.json()["scopes"] == scope.split()


def test_client_credentials_in_the_form(client, partner):
    sa, secret = partner
    r = client.post(
        TOKEN_URL,
        data={
            "grant_type": "client_credentials",
            "client_id": sa.client_id,
            "client_secret": secret,
        },
    )
    check_service_token(client, sa, r)


def test_client_credentials_with_http_basic(client, partner):
    sa, secret = partner
    r = client.post(
        TOKEN_URL, data={"grant_type": "client_credentials"}, headers=basic(sa.client_id, secret)
    )
    check_service_token(client, sa, r)


def test_client_credentials_narrowed_scope(client, partner):
    sa, secret = partner
    r = client.post(
        TOKEN_URL,
        data={"grant_type": "client_credentials", "scope": "bulletins:read"},
        headers=basic(sa.client_id, secret),
    )
    check_service_token(client, sa, r, scope="bulletins:read")


@pytest.mark.parametrize("scope", ["admin", "bulletins:read audit:read", "no-such-scope"])
def test_client_credentials_with_a_scope_not_granted_is_invalid_scope(client, partner, scope):
    sa, secret = partner
    r = client.post(
        TOKEN_URL,
        data={
            "grant_type": "client_credentials",
            "client_id": sa.client_id,
            "client_secret": secret,
            "scope": scope,
        },
    )
    assert_problem(r, 400, "invalid_scope")


def test_wrong_secret_and_unknown_client_answer_identically(client, partner):
    sa, _ = partner
    wrong = client.post(
        TOKEN_URL, data={"grant_type": "client_credentials"}, headers=basic(sa.client_id, "nope")
    )
    unknown = client.post(
        TOKEN_URL, data={"grant_type": "client_credentials"}, headers=basic("cli_unknown", "nope")
    )
    first, second = assert_problem(wrong, 401, "invalid_client"), assert_problem(unknown, 401)
    drop = ("request_id", "instance")
    assert {k: v for k, v in first.items() if k not in drop} == {
        k: v for k, v in second.items() if k not in drop
    }


def test_revoked_service_account_cannot_get_a_token(client, partner, db):
    sa, secret = partner
    sa.is_active = False
    db.commit()
    r = client.post(
        TOKEN_URL, data={"grant_type": "client_credentials"}, headers=basic(sa.client_id, secret)
    )
    assert_problem(r, 401, "invalid_client")


@pytest.mark.parametrize(
    "headers",
    [{"Authorization": "Basic %%%not-base64"}, {"Authorization": "Basic " + "//79"}],
    ids=["not-base64", "not-utf8"],
)
def test_malformed_basic_credentials_are_invalid_client(client, headers):
    r = client.post(TOKEN_URL, data={"grant_type": "client_credentials"}, headers=headers)
    assert_problem(r, 401, "invalid_client")


def test_missing_client_credentials_are_invalid_client(client):
    r = client.post(TOKEN_URL, data={"grant_type": "client_credentials", "client_id": "x"})
    assert_problem(r, 401, "invalid_client")


@pytest.mark.parametrize("grant", ["authorization_code", "implicit", "urn:custom", "PASSWORD"])
def test_unsupported_grant_type(client, grant):
    r = client.post(TOKEN_URL, data={"grant_type": grant, "code": "abc"})
    assert_problem(r, 400, "unsupported_grant_type")


def test_missing_grant_type_or_credentials_is_invalid_request(client):
    assert_problem(client.post(TOKEN_URL, data={}), 400, "invalid_request")
    r = client.post(TOKEN_URL, data={"grant_type": "password", "username": "a@example.org"})
    assert_problem(r, 400, "invalid_request")
