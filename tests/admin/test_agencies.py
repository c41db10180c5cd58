"""/agencies: anyone reads, admins change, suspension cuts access at once."""

from tests.support.admin import AGENCIES, ME


def test_any_principal_lists_agencies(client, factory, auth):
    member = factory.user()
    sa = factory.service_account()
    for who in (member, sa):
        r = client.get(AGENCIES, headers=auth(who), params={"limit": 200})
        assert r.status_code == 200, r.text
        item = next(a for a in r.json()["items"] if a["id"] == str(member.agency_id))
        assert {"id", "name", "slug", "sector", "status", "created_at"} <= item.keys()


def test_admin_creates_and_patches_an_agency(client, factory, auth):
    admin = factory.user(roles=["admin"])
    r = client.post(
        AGENCIES,
        headers=auth(admin),
        json={"name": "Eastvale Council", "sector": "local_authority"},
    )
    assert r.status_code == 201, r.text
    agency = r.json()
    assert agency["slug"] == "eastvale-council" and agency["status"] == "active"
    assert r.headers["location"].endswith(agency["id"]) and r.headers["etag"] == '"1"'
    url = f"{AGENCIES}/{agency['id']}"
    assert client.patch(url, headers=auth(admin), json={"sector": "other"}).status_code == 428
    stale = client.patch(url, headers=auth(admin) | {"If-Match": '"7"'}, json={"sector": "other"})
    assert stale.status_code == 412
    ok = client.patch(url, headers=auth(admin) | {"If-Match": '"1"'}, json={"sector": "other"})
    assert ok.status_code == 200, ok.text
    assert ok.json()["sector"] == "other" and ok.headers["etag"] == '"2"'
    dup = client.post(
        AGENCIES, headers=auth(admin), json={"name": "Eastvale Council", "sector": "other"}
    )
    assert dup.status_code == 409
    assert dup.json()["detail"] == (
        'An agency named "Eastvale Council" already exists (slug eastvale-council)'
    )


def test_agency_admin_cannot_create_or_suspend_agencies(client, factory, auth):
    aa = factory.user(roles=["agency_admin"])
    other = factory.agency()
    r = client.post(AGENCIES, headers=auth(aa), json={"name": "Rogue Unit", "sector": "other"})
    assert r.status_code == 403
    assert client.post(f"{AGENCIES}/{other.id}/suspend", headers=auth(aa)).status_code == 403
    member = factory.user()
    r = client.post(AGENCIES, headers=auth(member), json={"name": "Rogue Unit", "sector": "other"})
    assert r.status_code == 403


def test_suspension_stops_tokens_on_the_next_request(client, db, factory, auth):
    admin = factory.user(roles=["admin"])
    agency = factory.agency()
    user = factory.user(agency)
    sa = factory.service_account(agency)
    user_h, sa_h = auth(user), auth(sa)
    assert client.get(ME, headers=user_h).status_code == 200
    assert client.get(ME, headers=sa_h).status_code == 200
    r = client.post(f"{AGENCIES}/{agency.id}/suspend", headers=auth(admin))
    assert r.status_code == 200 and r.json()["status"] == "suspended"
    assert client.get(ME, headers=user_h).status_code == 401
    assert client.get(ME, headers=sa_h).status_code == 401
    r = client.post(f"{AGENCIES}/{agency.id}/reinstate", headers=auth(admin))
    assert r.json()["status"] == "active"
    # Reinstatement starts afresh: what was issued before the suspension stays dead.
    assert client.get(ME, headers=user_h).status_code == 401
    assert client.get(ME, headers=sa_h).status_code == 401
    db.expire_all()
    assert client.get(ME, headers=auth(user)).status_code == 200
    assert client.get(ME, headers=auth(sa)).status_code == 200


def test_admin_cannot_suspend_its_own_agency(client, factory, auth):
    admin = factory.user(roles=["admin"])
    r = client.post(f"{AGENCIES}/{admin.agency_id}/suspend", headers=auth(admin))
    assert r.status_code == 409
