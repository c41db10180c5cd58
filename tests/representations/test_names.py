"""A list shows the names beside its items' ids as the item alone does (issue 18): each name
a list shows is the one the item alone shows, under the same rule: a person's name only
while the person is active in an active agency, otherwise "(former member)", an unknown
person too; a partner system by its name; an agency by its current name."""

from typing import Any

from tests.support.bulletins import API as BULLETINS
from tests.support.bulletins import create, publish
from tests.support.meetings import ACTIONS, MEETINGS, create_action, create_meeting

FORMER = "(former member)"


def _listed(client, api: str, headers, item_id: str) -> dict[str, Any]:
    r = client.get(api, params={"limit": 200}, headers=headers)
    assert r.status_code == 200, r.text
    (found,) = [i for i in r.json()["items"] if i["id"] == item_id]
    alone = client.get(f"{api}/{item_id}", headers=headers).json()
    alone.pop("actions", None)  # a meeting alone shows its actions; lists do not
    assert found == alone
    return found


def test_listed_names_follow_the_people_and_agencies_as_they_are_now(client, db, factory, auth):
    agency, other = factory.agency(name="Northshire Police"), factory.agency()
    leaver = factory.user(agency, roles=["editor"], display_name="Owen Price")
    system = factory.service_account(agency, scopes=["bulletins:read", "bulletins:write"])
    suspended = factory.user(other, display_name="Ruth Adeyemi")
    reader = factory.user(agency)
    by_leaver = publish(client, auth(leaver), create(client, auth(leaver), tlp="GREEN"))
    by_system = publish(client, auth(leaver), create(client, auth(system), tlp="GREEN"))
    action = create_action(
        client, auth(leaver), other.id, assignee_user_id=str(suspended.id), tlp="GREEN"
    )
    meeting = create_meeting(client, auth(leaver), chair_user_id=str(suspended.id))
    h = auth(reader)
    assert _listed(client, BULLETINS, h, by_leaver["id"])["author"]["display_name"] == "Owen Price"
    assert _listed(client, BULLETINS, h, by_system["id"])["author"]["display_name"] == system.name

    leaver.is_active = False
    other.status = "suspended"
    agency.name = "Northshire Constabulary"
    db.commit()
    listed = _listed(client, BULLETINS, h, by_leaver["id"])
    assert listed["author"] == {"id": str(leaver.id), "display_name": FORMER}
    assert listed["agency"]["name"] == "Northshire Constabulary"
    listed = _listed(client, ACTIONS, h, action["id"])
    assert listed["assignee"]["display_name"] == FORMER  # their agency is suspended
    assert listed["owner_agency"]["id"] == str(other.id)
    assert _listed(client, MEETINGS, h, meeting["id"])["chair"]["display_name"] == FORMER
