"""Finding 2: RED is for its author and the people named, never a partner system, and only
its author changes its classification; a write scope for one kind of item makes no editor of
another."""

from tests.support.bulletins import API as BULLETINS
from tests.support.bulletins import create as create_bulletin
from tests.support.meetings import ACTIONS, create_action, if_match, same_as_missing


def _red_action(client, factory, auth):
    agency = factory.agency()
    author = factory.user(agency, roles=["editor"])
    named = factory.user(agency, roles=["editor"])
    colleague = factory.user(agency, roles=["editor"])
    partner = factory.service_account(agency, scopes=["actions:read", "actions:write"])
    action = create_action(
        client, auth(author), agency.id, tlp="RED", recipient_users=[str(named.id)]
    )
    return agency, author, named, colleague, partner, action


def test_a_partner_system_of_the_owner_agency_neither_reads_nor_declassifies_red(
    client, factory, auth
):
    _, _, _, _, partner, action = _red_action(client, factory, auth)
    h = auth(partner)
    same_as_missing(client, h, "GET", ACTIONS, action["id"])
    same_as_missing(client, h, "GET", ACTIONS, action["id"], "/updates")
    same_as_missing(
        client, h, "PATCH", ACTIONS, action["id"], extra={"If-Match": '"1"'}, json={"tlp": "CLEAR"}
    )
    listed = client.get(ACTIONS, headers=h, params={"limit": 200}).json()["items"]
    assert action["id"] not in {a["id"] for a in listed}


def test_the_owner_agency_reads_its_actions_but_not_a_red_one_it_is_not_named_on(
    client, factory, auth
):
    creator_agency, owner_agency = factory.agency(), factory.agency()
    author = factory.user(creator_agency, roles=["editor"])
    owner_member = factory.user(owner_agency)
    named_owner = factory.user(owner_agency)
    amber = create_action(client, auth(author), owner_agency.id, tlp="AMBER+STRICT")
    red = create_action(
        client, auth(author), owner_agency.id, tlp="RED", recipient_users=[str(named_owner.id)]
    )
    assert client.get(f"{ACTIONS}/{amber['id']}", headers=auth(owner_member)).status_code == 200
    same_as_missing(client, auth(owner_member), "GET", ACTIONS, red["id"])
    assert client.get(f"{ACTIONS}/{red['id']}", headers=auth(named_owner)).status_code == 200


def test_only_the_author_changes_a_red_items_classification(client, factory, auth):
    _, author, named, colleague, _, action = _red_action(client, factory, auth)
    # A named editor of the owning agency reads it, but may not declassify it.
    r = client.patch(
        f"{ACTIONS}/{action['id']}", json={"tlp": "CLEAR"}, headers=if_match(auth(named), action)
    )
    assert r.status_code == 403, r.text
    assert "author" in r.json()["detail"]
    # An editor of the agency who is not named does not even see it.
    same_as_missing(
        client,
        auth(colleague),
        "PATCH",
        ACTIONS,
        action["id"],
        extra={"If-Match": '"1"'},
        json={"tlp": "CLEAR"},
    )
    # The named editor may still move it along (a status change is no reclassification).
    r = client.patch(
        f"{ACTIONS}/{action['id']}",
        json={"status": "in_progress"},
        headers=if_match(auth(named), action),
    )
    assert r.status_code == 200, r.text
    r = client.patch(
        f"{ACTIONS}/{action['id']}", json={"tlp": "AMBER"}, headers=if_match(auth(author), r.json())
    )
    assert r.status_code == 200 and r.json()["tlp"] == "AMBER"


def test_a_red_bulletin_is_reclassified_by_its_author_only(client, factory, auth):
    agency = factory.agency()
    author = factory.user(agency, roles=["editor"])
    named = factory.user(agency, roles=["editor"])
    b = create_bulletin(client, auth(author), tlp="RED", recipient_users=[str(named.id)])
    r = client.patch(
        f"{BULLETINS}/{b['id']}",
        json={"tlp": "GREEN"},
        headers={**auth(named), "If-Match": '"1"'},
    )
    assert r.status_code == 403, r.text
    r = client.patch(
        f"{BULLETINS}/{b['id']}",
        json={"tlp": "GREEN", "recipient_users": []},
        headers={**auth(author), "If-Match": '"1"'},
    )
    assert r.status_code == 200, r.text


def test_a_write_scope_for_one_kind_of_item_makes_no_editor_of_another(client, factory, auth):
    agency = factory.agency()
    editor = factory.user(agency, roles=["editor"])
    draft = create_bulletin(client, auth(editor), tlp="GREEN")
    meetings_writer = factory.service_account(
        agency, scopes=["bulletins:read", "meetings:write", "actions:write"]
    )
    bulletins_writer = factory.service_account(agency, scopes=["bulletins:read", "bulletins:write"])
    same_as_missing(client, auth(meetings_writer), "GET", BULLETINS, draft["id"])
    r = client.get(f"{BULLETINS}/{draft['id']}", headers=auth(bulletins_writer))
    assert r.status_code == 200, r.text
