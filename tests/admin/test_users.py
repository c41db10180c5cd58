"""/users: the admin rules, validation, concurrency, idempotency, revocation."""

import uuid

from sqlalchemy import func, select

from oversight.accounts.models import User
from tests.support.admin import ME, USERS, agency_of, new_user
from tests.support.auth import login, tokens
from tests.support.factories import DEFAULT_PASSWORD

SECRET_PASSWORD = "Sup3r-Secret-Passphrase!"


def test_admin_creates_a_user_with_lowercased_email(client, factory, auth):
    admin = factory.user(roles=["admin"])
    agency = factory.agency()
    body = new_user(agency.id, email="Mixed.Case@Example.ORG", roles=["editor"])
    body["password"] = SECRET_PASSWORD
    r = client.post(USERS, headers=auth(admin), json=body)
    assert r.status_code == 201, r.text
    out = r.json()
    assert out["email"] == "mixed.case@example.org"
    assert out["roles"] == ["editor", "member"] and out["password"] is None
    assert "password_hash" not in out
    assert login(client, "mixed.case@example.org", SECRET_PASSWORD).status_code == 200


def test_generated_password_is_returned_once_and_works(client, factory, auth):
    admin = factory.user(roles=["admin"])
    r = client.post(USERS, headers=auth(admin), json=new_user(admin.agency_id))
    assert r.status_code == 201, r.text
    generated = r.json()["password"]
    assert len(generated) >= 12
    assert login(client, r.json()["email"], generated).status_code == 200
    got = client.get(f"{USERS}/{r.json()['id']}", headers=auth(admin))
    assert "password" not in got.json()


def test_agency_admin_granting_admin_or_auditor_is_forbidden(client, factory, auth):
    aa = factory.user(roles=["agency_admin"])
    for role in ("admin", "auditor"):
        r = client.post(USERS, headers=auth(aa), json=new_user(aa.agency_id, roles=[role]))
        assert r.status_code == 403, r.text
    colleague = factory.user(agency=agency_of(factory, aa))
    url = f"{USERS}/{colleague.id}"
    r = client.patch(url, headers=auth(aa) | {"If-Match": '"1"'}, json={"roles": ["admin"]})
    assert r.status_code == 403
    r = client.patch(url, headers=auth(aa) | {"If-Match": '"1"'}, json={"roles": ["editor"]})
    assert r.status_code == 200 and r.json()["roles"] == ["editor", "member"]
    # Nor may it act on an admin of its own agency (a reset would hand it the admin's login).
    boss = factory.user(agency=agency_of(factory, aa), roles=["admin"])
    assert client.post(f"{USERS}/{boss.id}/reset-password", headers=auth(aa)).status_code == 403
    assert client.post(f"{USERS}/{boss.id}/disable", headers=auth(aa)).status_code == 403


def test_agency_admin_touching_another_agencys_user_is_not_found(client, factory, auth):
    aa = factory.user(roles=["agency_admin"])
    stranger = factory.user()
    missing = client.get(f"{USERS}/{uuid.uuid4()}", headers=auth(aa))
    assert missing.status_code == 404
    for method, path in [
        ("GET", ""),
        ("PATCH", ""),
        ("POST", "/disable"),
        ("POST", "/enable"),
        ("POST", "/reset-password"),
    ]:
        kw = {"json": {"display_name": "x"}} if method == "PATCH" else {}
        r = client.request(
            method,
            f"{USERS}/{stranger.id}{path}",
            headers=auth(aa) | {"If-Match": '"1"'},
            **kw,
        )
        assert r.status_code == 404, (method, path, r.text)
        assert r.json()["detail"] == missing.json()["detail"]
    listed = client.get(USERS, headers=auth(aa), params={"limit": 200}).json()["items"]
    assert {u["agency_id"] for u in listed} == {str(aa.agency_id)}
    # Creating into another agency is refused too.
    r = client.post(USERS, headers=auth(aa), json=new_user(stranger.agency_id))
    assert r.status_code == 403


def test_members_cannot_administer(client, factory, auth):
    member = factory.user(roles=["editor"])
    assert client.get(USERS, headers=auth(member)).status_code == 403


def test_duplicate_email_is_conflict(client, factory, auth):
    admin = factory.user(roles=["admin"])
    taken = factory.user()
    body = new_user(admin.agency_id, email=taken.email.upper())
    r = client.post(USERS, headers=auth(admin), json=body)
    assert r.status_code == 409, r.text
    assert f"A user with the email {taken.email} already exists (id {taken.id}" in r.text
    other = factory.user(agency=agency_of(factory, admin))
    r = client.patch(
        f"{USERS}/{other.id}",
        headers=auth(admin) | {"If-Match": '"1"'},
        json={"email": taken.email},
    )
    assert r.status_code == 409


def test_an_agency_admin_is_not_told_who_holds_an_email_elsewhere(client, factory, auth):
    aa = factory.user(roles=["agency_admin"])
    elsewhere = factory.user()
    r = client.post(USERS, headers=auth(aa), json=new_user(aa.agency_id, email=elsewhere.email))
    assert r.status_code == 409
    assert r.json()["detail"] == (
        f"A user with the email {elsewhere.email} already exists in another agency"
    )
    assert str(elsewhere.id) not in r.text


def test_invalid_email_and_unknown_field_are_422(client, factory, auth):
    admin = factory.user(roles=["admin"])
    r = client.post(USERS, headers=auth(admin), json=new_user(admin.agency_id, email="nope"))
    assert r.status_code == 422
    assert r.json()["errors"][0]["loc"] == ["body", "email"]
    r = client.post(USERS, headers=auth(admin), json=new_user(admin.agency_id, is_root=True))
    assert r.status_code == 422
    r = client.patch(
        f"{USERS}/{admin.id}", headers=auth(admin) | {"If-Match": '"1"'}, json={"nick": "x"}
    )
    assert r.status_code == 422
    r = client.patch(
        f"{USERS}/{admin.id}", headers=auth(admin) | {"If-Match": '"1"'}, json={"email": None}
    )
    assert r.status_code == 422


def test_two_mib_body_is_413(client, factory, auth):
    admin = factory.user(roles=["admin"])
    body = new_user(admin.agency_id, display_name="x" * (2 * 1024 * 1024))
    r = client.post(USERS, headers=auth(admin), json=body)
    assert r.status_code == 413


def test_422_never_contains_the_password(client, factory, auth):
    admin = factory.user(roles=["admin"])
    short = "Tiny-Secret"  # 11 characters: too short
    cases = [
        new_user(admin.agency_id, password=short),
        new_user(admin.agency_id, email="not-an-email", password=SECRET_PASSWORD),
        new_user(admin.agency_id, password=SECRET_PASSWORD, extra=SECRET_PASSWORD),
    ]
    for body in cases:
        r = client.post(USERS, headers=auth(admin), json=body)
        assert r.status_code == 422, r.text
        assert body["password"] not in r.text
    # The token endpoint takes form-urlencoded bodies only (RFC 6749): multipart is 415.
    r = client.post(
        "/api/v1/auth/token",
        data={"grant_type": "password", "username": "x@example.org"},
        files={"password": ("password.txt", SECRET_PASSWORD.encode(), "text/plain")},
    )
    assert r.status_code == 415, r.text
    assert SECRET_PASSWORD not in r.text
    r = client.post("/api/v1/auth/revoke", data={"token": SECRET_PASSWORD * 40})
    assert r.status_code == 422 and SECRET_PASSWORD not in r.text


def test_if_match_missing_and_stale_on_patch(client, factory, auth):
    admin = factory.user(roles=["admin"])
    target = factory.user(agency=agency_of(factory, admin))
    url = f"{USERS}/{target.id}"
    etag = client.get(url, headers=auth(admin)).headers["etag"]
    assert client.patch(url, headers=auth(admin), json={"display_name": "A"}).status_code == 428
    ok = client.patch(url, headers=auth(admin) | {"If-Match": etag}, json={"display_name": "A"})
    assert ok.status_code == 200 and ok.headers["etag"] != etag
    stale = client.patch(url, headers=auth(admin) | {"If-Match": etag}, json={"display_name": "B"})
    assert stale.status_code == 412
    assert client.get(url, headers=auth(admin)).json()["display_name"] == "A"


def test_idempotency_key_retry_creates_one_user(client, factory, auth, db):
    admin = factory.user(roles=["admin"])
    body = new_user(admin.agency_id)
    headers = auth(admin) | {"Idempotency-Key": "create-1"}
    first = client.post(USERS, headers=headers, json=body)
    second = client.post(USERS, headers=headers, json=body)
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    assert first.json()["password"] and second.json()["password"] is None
    n = db.scalar(select(func.count()).select_from(User).where(User.email == body["email"]))
    assert n == 1
    changed = client.post(USERS, headers=headers, json=body | {"display_name": "Other"})
    assert changed.status_code == 422


def test_pagination_across_pages(client, factory, auth):
    aa = factory.user(roles=["agency_admin"])
    agency = agency_of(factory, aa)
    made = {str(factory.user(agency=agency).id) for _ in range(5)} | {str(aa.id)}
    seen: list[str] = []
    params = {"limit": 2}
    pages = 0
    while True:
        r = client.get(USERS, headers=auth(aa), params=params)
        assert r.status_code == 200, r.text
        page = r.json()
        pages += 1
        seen += [u["id"] for u in page["items"]]
        if not page["next_cursor"]:
            assert "link" not in r.headers
            break
        assert 'rel="next"' in r.headers["link"]
        params = {"limit": 2, "cursor": page["next_cursor"]}
    assert pages == 3 and len(seen) == len(set(seen)) and set(seen) == made
    bad = client.get(USERS, headers=auth(aa), params={"cursor": "garbage"})
    assert bad.status_code == 400


def test_disable_stops_tokens_at_once_and_enable_restores_login(client, factory, auth):
    admin = factory.user(roles=["admin"])
    user = factory.user()
    pair = tokens(client, user.email, DEFAULT_PASSWORD)
    headers = {"Authorization": f"Bearer {pair['access_token']}"}
    assert client.get(ME, headers=headers).status_code == 200
    r = client.post(f"{USERS}/{user.id}/disable", headers=auth(admin))
    assert r.status_code == 200 and r.json()["is_active"] is False
    assert client.get(ME, headers=headers).status_code == 401
    assert login(client, user.email, DEFAULT_PASSWORD).status_code == 400
    refresh = {"grant_type": "refresh_token", "refresh_token": pair["refresh_token"]}
    assert client.post("/api/v1/auth/token", data=refresh).status_code == 400
    assert client.post(f"{USERS}/{user.id}/enable", headers=auth(admin)).status_code == 200
    assert login(client, user.email, DEFAULT_PASSWORD).status_code == 200


def test_cannot_disable_yourself_or_the_last_admin(client, factory, auth):
    admin = factory.user(roles=["admin"])
    r = client.post(f"{USERS}/{admin.id}/disable", headers=auth(admin))
    assert r.status_code == 409


def test_reset_password_works_once_and_old_tokens_die(client, factory, auth):
    admin = factory.user(roles=["admin"])
    user = factory.user()
    old = tokens(client, user.email, DEFAULT_PASSWORD)
    r = client.post(f"{USERS}/{user.id}/reset-password", headers=auth(admin))
    assert r.status_code == 200, r.text
    assert r.headers["cache-control"] == "no-store"
    new_password = r.json()["password"]
    old_h = {"Authorization": f"Bearer {old['access_token']}"}
    assert client.get(ME, headers=old_h).status_code == 401
    assert login(client, user.email, DEFAULT_PASSWORD).status_code == 400
    assert login(client, user.email, new_password).status_code == 200
    again = client.post(f"{USERS}/{user.id}/reset-password", headers=auth(admin))
    assert again.json()["password"] != new_password
    assert login(client, user.email, new_password).status_code == 400


def test_role_change_is_audited_and_takes_effect(client, factory, auth, db):
    from oversight.audit.models import AuditRecord

    admin = factory.user(roles=["admin"])
    user = factory.user(roles=["editor"])
    user_h = auth(user)
    r = client.patch(
        f"{USERS}/{user.id}", headers=auth(admin) | {"If-Match": '"1"'}, json={"roles": []}
    )
    assert r.status_code == 200 and r.json()["roles"] == ["member"]
    assert "bulletins:write" not in client.get(ME, headers=user_h).json()["scopes"]
    rec = db.scalars(
        select(AuditRecord).where(
            AuditRecord.action == "user.roles_change", AuditRecord.resource_id == str(user.id)
        )
    ).one()
    assert rec.actor_id == str(admin.id)
    assert rec.changes["roles"] == {"before": ["editor", "member"], "after": ["member"]}
