from tests.support.factories import DEFAULT_PASSWORD


def test_password_login_and_me(client, factory):
    user = factory.user(roles=["editor"])
    r = client.post(
        "/api/v1/auth/token",
        data={"grant_type": "password", "username": user.email, "password": DEFAULT_PASSWORD},
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["token_type"] == "bearer" and body["refresh_token"]
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.status_code == 200, me.text
    assert me.json()["email"] == user.email
    assert "bulletins:write" in me.json()["scopes"]
    assert me.headers["cache-control"] == "no-store"
    assert me.headers["x-request-id"]


def test_health(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    r = client.get("/readyz")
    assert r.status_code == 200, r.text
