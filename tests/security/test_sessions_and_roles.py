"""Findings 7 and the low ones about people: suspension ends sessions for good, a reused
refresh token kills the access tokens too, an agency admin cannot undo an admin's decision,
four eyes cannot be bypassed through a partner system, recipients must be able to read."""

from tests.support.admin import AGENCIES, ME, SERVICE_ACCOUNTS, USERS, agency_of
from tests.support.auth import bearer, refresh, tokens
from tests.support.bulletins import API as BULLETINS
from tests.support.bulletins import create as create_bulletin
from tests.support.bulletins import payload
from tests.support.factories import DEFAULT_PASSWORD
from tests.support.meetings import MEETINGS, create_meeting, if_match, write_minutes


def test_a_suspension_ends_refresh_tokens_for_good(client, db, factory, auth):
    admin = factory.user(roles=["admin"])
    agency = factory.agency()
    user = factory.user(agency)
    held = tokens(client, user.email, DEFAULT_PASSWORD)
    assert client.post(f"{AGENCIES}/{agency.id}/suspend", headers=auth(admin)).status_code == 200
    assert client.post(f"{AGENCIES}/{agency.id}/reinstate", headers=auth(admin)).status_code == 200
    assert client.get(ME, headers=bearer(held["access_token"])).status_code == 401
    assert refresh(client, held["refresh_token"]).status_code == 400
    fresh = tokens(client, user.email, DEFAULT_PASSWORD)  # logging in again works
    assert client.get(ME, headers=bearer(fresh["access_token"])).status_code == 200


def test_a_reused_refresh_token_also_ends_the_access_tokens_held(client, factory):
    user = factory.user()
    first = tokens(client, user.email, DEFAULT_PASSWORD)
    second = refresh(client, first["refresh_token"]).json()
    assert client.get(ME, headers=bearer(second["access_token"])).status_code == 200
    assert refresh(client, first["refresh_token"]).status_code == 400  # reuse: theft
    assert client.get(ME, headers=bearer(second["access_token"])).status_code == 401
    assert client.get(ME, headers=bearer(first["access_token"])).status_code == 401


def test_an_agency_admin_cannot_re_enable_whom_an_admin_disabled(client, db, factory, auth):
    admin = factory.user(roles=["admin"])
    agency = factory.agency()
    local_admin = factory.user(agency, roles=["agency_admin"])
    user = factory.user(agency)
    r = client.post(f"{USERS}/{user.id}/disable", headers=auth(admin))
    assert r.status_code == 200 and r.json()["is_active"] is False
    r = client.post(f"{USERS}/{user.id}/enable", headers=auth(local_admin))
    assert r.status_code == 403, r.text
    # What the agency admin disabled, it may enable again.
    other = factory.user(agency)
    assert client.post(f"{USERS}/{other.id}/disable", headers=auth(local_admin)).status_code == 200
    r = client.post(f"{USERS}/{other.id}/enable", headers=auth(local_admin))
    assert r.status_code == 200 and r.json()["is_active"] is True
    # And the admin may enable anyone.
    r = client.post(f"{USERS}/{user.id}/enable", headers=auth(admin))
    assert r.status_code == 200 and r.json()["is_active"] is True


def test_four_eyes_hold_when_a_partner_system_wrote_the_draft(client, db, factory, auth):
    agency = factory.agency()
    local_admin = factory.user(agency, roles=["agency_admin"])
    # The agency admin makes itself an editor, and a partner system that writes meetings.
    r = client.patch(
        f"{USERS}/{local_admin.id}",
        json={"roles": ["member", "agency_admin", "editor"]},
        headers={**auth(local_admin), "If-Match": '"1"'},
    )
    assert r.status_code == 200, r.text
    db.expire_all()
    editor_h = auth(local_admin)
    r = client.post(
        SERVICE_ACCOUNTS,
        json={"name": "Minutes robot", "scopes": ["meetings:read", "meetings:write"]},
        headers=editor_h,
    )
    assert r.status_code == 201, r.text
    robot = r.json()
    robot_token = client.post(
        "/api/v1/auth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": robot["client_id"],
            "client_secret": robot["client_secret"],
        },
    ).json()["access_token"]
    meeting = create_meeting(client, editor_h)
    meeting = write_minutes(client, bearer(robot_token), meeting)
    r = client.post(
        f"{MEETINGS}/{meeting['id']}/minutes/approve", headers=if_match(editor_h, meeting)
    )
    assert r.status_code == 403, r.text
    assert "four eyes" in r.json()["detail"]
    # Another editor of the agency may approve what the partner system wrote.
    other = factory.user(agency, roles=["editor"])
    r = client.post(
        f"{MEETINGS}/{meeting['id']}/minutes/approve", headers=if_match(auth(other), meeting)
    )
    assert r.status_code == 200, r.text


def test_recipients_must_be_able_to_read_what_they_are_sent(client, db, factory, auth):
    admin = factory.user(roles=["admin"])
    editor = factory.user(roles=["editor"])
    partner, dormant = factory.agency(), factory.agency()
    gone = factory.user(agency_of(factory, editor))
    assert client.post(f"{AGENCIES}/{dormant.id}/suspend", headers=auth(admin)).status_code == 200
    assert client.post(f"{USERS}/{gone.id}/disable", headers=auth(admin)).status_code == 200
    h = auth(editor)
    r = client.post(
        BULLETINS,
        json=payload(tlp="AMBER", recipient_agencies=[str(partner.id), str(dormant.id)]),
        headers=h,
    )
    assert r.status_code == 422, r.text
    assert str(dormant.id) in r.json()["detail"] and str(partner.id) not in r.json()["detail"]
    r = client.post(
        BULLETINS,
        json=payload(tlp="RED", recipient_users=[str(gone.id)]),
        headers=h,
    )
    assert r.status_code == 422, r.text
    # A recipient suspended after it was named stays named: the item can still be edited.
    b = create_bulletin(client, h, tlp="AMBER", recipient_agencies=[str(partner.id)])
    assert client.post(f"{AGENCIES}/{partner.id}/suspend", headers=auth(admin)).status_code == 200
    r = client.patch(
        f"{BULLETINS}/{b['id']}", json={"title": "Revised title"}, headers={**h, "If-Match": '"1"'}
    )
    assert r.status_code == 200, r.text
