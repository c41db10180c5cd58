"""/service-accounts: secrets shown once, scopes limited, revocation at once."""

import uuid

from oversight.accounts.models import ServiceAccount
from oversight.auth.passwords import secret_digest
from tests.support.admin import ME, SERVICE_ACCOUNTS, agency_of

TOKEN = "/api/v1/auth/token"


def client_token(client, client_id, secret):
    return client.post(
        TOKEN,
        data={"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret},
    )


def test_create_shows_the_secret_once_and_stores_its_digest(client, factory, auth, db):
    aa = factory.user(roles=["agency_admin"])
    body = {"name": "Threat feed", "scopes": ["bulletins:read", "bulletins:write"]}
    r = client.post(SERVICE_ACCOUNTS, headers=auth(aa) | {"Idempotency-Key": "k1"}, json=body)
    assert r.status_code == 201, r.text
    out = r.json()
    assert out["agency_id"] == str(aa.agency_id) and out["client_secret"].startswith("ovs_")
    stored = db.get_one(ServiceAccount, uuid.UUID(out["id"]))
    assert stored.secret_hash == secret_digest(out["client_secret"])
    assert client_token(client, out["client_id"], out["client_secret"]).status_code == 200
    replay = client.post(SERVICE_ACCOUNTS, headers=auth(aa) | {"Idempotency-Key": "k1"}, json=body)
    assert replay.json()["id"] == out["id"] and replay.json()["client_secret"] is None
    listed = client.get(SERVICE_ACCOUNTS, headers=auth(aa)).json()["items"]
    assert [sa["id"] for sa in listed] == [out["id"]]
    assert "client_secret" not in listed[0]


def test_scopes_outside_the_grantable_set_are_422(client, factory, auth):
    admin = factory.user(roles=["admin"])
    for scopes in (["admin"], ["audit:read"], ["bulletins:read", "root"], []):
        r = client.post(
            SERVICE_ACCOUNTS, headers=auth(admin), json={"name": "X1", "scopes": scopes}
        )
        assert r.status_code == 422, (scopes, r.text)


def test_agency_admin_is_confined_to_its_agency(client, factory, auth):
    aa = factory.user(roles=["agency_admin"])
    foreign = factory.service_account()
    url = f"{SERVICE_ACCOUNTS}/{foreign.id}"
    assert client.get(url, headers=auth(aa)).status_code == 404
    assert client.post(f"{url}/rotate-secret", headers=auth(aa)).status_code == 404
    assert client.delete(url, headers=auth(aa) | {"If-Match": '"1"'}).status_code == 404
    body = {"name": "Elsewhere", "agency_id": str(foreign.agency_id), "scopes": ["actions:read"]}
    assert client.post(SERVICE_ACCOUNTS, headers=auth(aa), json=body).status_code == 403


def test_rotation_kills_the_old_secret_and_tokens(client, factory, auth):
    admin = factory.user(roles=["admin"])
    sa = factory.service_account()
    old_secret = factory.secrets[sa.id]
    token = client_token(client, sa.client_id, old_secret).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get(ME, headers=headers).status_code == 200
    r = client.post(f"{SERVICE_ACCOUNTS}/{sa.id}/rotate-secret", headers=auth(admin))
    assert r.status_code == 200, r.text
    assert client.get(ME, headers=headers).status_code == 401
    assert client_token(client, sa.client_id, old_secret).status_code == 401
    assert client_token(client, sa.client_id, r.json()["client_secret"]).status_code == 200


def test_revocation_through_the_api_stops_tokens_at_once(client, factory, auth):
    aa = factory.user(roles=["agency_admin"])
    sa = factory.service_account(agency_of(factory, aa))
    headers = auth(sa)
    assert client.get(ME, headers=headers).status_code == 200
    url = f"{SERVICE_ACCOUNTS}/{sa.id}"
    assert client.delete(url, headers=auth(aa)).status_code == 428
    assert client.delete(url, headers=auth(aa) | {"If-Match": '"9"'}).status_code == 412
    etag = client.get(url, headers=auth(aa)).headers["etag"]
    assert client.delete(url, headers=auth(aa) | {"If-Match": etag}).status_code == 204
    assert client.get(ME, headers=headers).status_code == 401
    assert client_token(client, sa.client_id, factory.secrets[sa.id]).status_code == 401
    after = client.get(url, headers=auth(aa)).json()
    assert after["is_active"] is False and after["revoked_at"]
    rotate = client.post(f"{url}/rotate-secret", headers=auth(aa))
    assert rotate.status_code == 409
