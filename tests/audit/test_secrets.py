"""The trail leaks nothing: content only as digests, secrets never (not even digested)."""

import hashlib

import pytest
from sqlalchemy import select

from oversight.accounts.models import Agency, ServiceAccount, User
from oversight.auth.models import RefreshToken
from tests.support.audit import as_json, records
from tests.support.factories import DEFAULT_PASSWORD

TOKEN = "/api/v1/auth/token"


def _sha(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def test_content_fields_are_recorded_only_as_digests(client, db, auth, factory, monkeypatch):
    monkeypatch.setattr(Agency, "__audit_metadata__", Agency.__audit_metadata__ - {"name"})
    admin = factory.user(roles=["admin"])
    r = client.post(
        "/api/v1/agencies",
        json={"name": "Confidential Name", "slug": "conf", "sector": "health"},
        headers=auth(admin),
    )
    assert r.status_code == 201, r.text
    agency_id = r.json()["id"]
    r = client.patch(
        f"/api/v1/agencies/{agency_id}",
        json={"name": "Renamed Secretly", "sector": "education"},
        headers=auth(admin) | {"If-Match": r.headers["etag"]},
    )
    assert r.status_code == 200, r.text
    created, updated = records(db, resource_type="agency", resource_id=agency_id)
    assert created.changes["name"] == {"after_sha256": _sha("Confidential Name")}
    assert created.changes["sector"] == {"after": "health"}  # metadata stays readable
    assert updated.changes["name"] == {
        "before_sha256": _sha("Confidential Name"),
        "after_sha256": _sha("Renamed Secretly"),
    }
    assert updated.changes["sector"] == {"before": "health", "after": "education"}
    for rec in (created, updated):
        assert "Confidential" not in as_json(rec) and "Renamed" not in as_json(rec)


def test_user_and_service_account_records_hold_metadata_not_secrets(db, factory):
    user = factory.user(roles=["editor"])
    sa = factory.service_account()
    (u,) = records(db, resource_type="user", resource_id=str(user.id))
    assert u.changes["email"] == {"after": user.email}
    assert u.changes["roles"] == {"after": ["editor", "member"]}
    assert "password_hash" not in u.changes and user.password_hash not in as_json(u)
    (s,) = records(db, resource_type="service_account", resource_id=str(sa.id))
    assert s.changes["client_id"] == {"after": sa.client_id}
    assert "secret_hash" not in s.changes and sa.secret_hash not in as_json(s)


@pytest.fixture
def scenario(client, db, auth, factory):
    """Log in, refresh, administer users and partner systems, fail, lock out, log out;
    return every secret that passed through."""
    secrets: set[str] = {DEFAULT_PASSWORD, "wrong-password-attempt"}
    admin = factory.user(roles=["admin"])

    def login(email, password):
        r = client.post(
            TOKEN, data={"grant_type": "password", "username": email, "password": password}
        )
        assert r.status_code == 200, r.text
        secrets.update({r.json()["access_token"], r.json()["refresh_token"]})
        return r.json()

    def hdr(tokens):
        return {"Authorization": f"Bearer {tokens['access_token']}"}

    admin_tokens = login(admin.email, DEFAULT_PASSWORD)
    r = client.post(
        TOKEN, data={"grant_type": "refresh_token", "refresh_token": admin_tokens["refresh_token"]}
    )
    assert r.status_code == 200
    admin_tokens = r.json()
    secrets.update({admin_tokens["access_token"], admin_tokens["refresh_token"]})
    h = hdr(admin_tokens)

    r = client.post(
        "/api/v1/agencies", json={"name": "Scenario Agency", "sector": "charity"}, headers=h
    )
    assert r.status_code == 201, r.text
    agency_id = r.json()["id"]
    chosen = "chosen password 123"
    r = client.post(
        "/api/v1/users",
        json={
            "email": "alice@example.org",
            "display_name": "Alice",
            "agency_id": agency_id,
            "roles": ["editor"],
            "password": chosen,
        },
        headers=h,
    )
    assert r.status_code == 201, r.text
    alice = r.json()["id"]
    r = client.post(
        "/api/v1/users",
        json={"email": "bob@example.org", "display_name": "Bob", "agency_id": agency_id},
        headers=h,
    )
    assert r.status_code == 201, r.text
    bob = r.json()["id"]
    secrets.update({chosen, r.json()["password"]})

    alice_tokens = login("alice@example.org", chosen)
    new = "a brand new password"
    r = client.post(
        "/api/v1/me/password",
        json={"current_password": chosen, "new_password": new},
        headers=hdr(alice_tokens),
    )
    assert r.status_code == 204, r.text
    secrets.add(new)
    r = client.post(f"/api/v1/users/{bob}/reset-password", headers=h)
    assert r.status_code == 200, r.text
    secrets.add(r.json()["password"])
    assert client.post(f"/api/v1/users/{alice}/disable", headers=h).status_code == 200
    assert client.post(f"/api/v1/users/{alice}/enable", headers=h).status_code == 200

    r = client.post(
        "/api/v1/service-accounts",
        json={"name": "Partner feed", "agency_id": agency_id, "scopes": ["bulletins:read"]},
        headers=h,
    )
    assert r.status_code == 201, r.text
    sa_id, client_id = r.json()["id"], r.json()["client_id"]
    secrets.add(r.json()["client_secret"])
    r = client.post(f"/api/v1/service-accounts/{sa_id}/rotate-secret", headers=h)
    assert r.status_code == 200, r.text
    rotated = r.json()["client_secret"]
    secrets.add(rotated)
    r = client.post(
        TOKEN,
        data={"grant_type": "client_credentials", "client_id": client_id, "client_secret": rotated},
    )
    assert r.status_code == 200, r.text
    secrets.add(r.json()["access_token"])
    etag = client.get(f"/api/v1/service-accounts/{sa_id}", headers=h).headers["etag"]
    assert (
        client.delete(
            f"/api/v1/service-accounts/{sa_id}", headers=h | {"If-Match": etag}
        ).status_code
        == 204
    )

    for _ in range(6):
        client.post(
            TOKEN,
            data={
                "grant_type": "password",
                "username": "bob@example.org",
                "password": "wrong-password-attempt",
            },
        )
    assert client.post(f"/api/v1/agencies/{agency_id}/suspend", headers=h).status_code == 200
    assert client.post(f"/api/v1/agencies/{agency_id}/reinstate", headers=h).status_code == 200
    assert client.post("/api/v1/auth/logout", headers=h).status_code == 204

    # What the database keeps of them must not reach the trail either.
    secrets.update(db.scalars(select(User.password_hash)))
    secrets.update(db.scalars(select(ServiceAccount.secret_hash)))
    secrets.update(db.scalars(select(RefreshToken.token_hash)))
    return secrets


def test_no_secret_appears_anywhere_in_the_trail(db, scenario):
    trail = [as_json(rec) for rec in records(db)]
    actions = {rec.action for rec in records(db)}
    expected = {
        "auth.login",
        "auth.refresh",
        "auth.logout",
        "auth.login_failed",
        "auth.lockout",
        "agency.create",
        "agency.suspend",
        "agency.reinstate",
        "user.create",
        "user.disable",
        "user.enable",
        "user.password_change",
        "service_account.create",
        "service_account.rotate_secret",
        "service_account.revoke",
    }
    assert expected <= actions, expected - actions
    assert len(scenario) > 15
    for secret in scenario:
        assert secret, "an empty secret would match everything"
        leaks = [line for line in trail if secret in line]
        assert not leaks, f"a secret ({secret[:6]}…) leaked into {len(leaks)} record(s)"
