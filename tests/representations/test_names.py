"""A list shows the names beside its items' ids as the item alone does (issue 18): each name
a list shows is the one the item alone shows, under the same rule: a person's name only
while the person is active in an active agency, otherwise "(former member)", an unknown
person too; a partner system by its name; an agency by its current name."""

import uuid
from typing import Any

import pytest

from oversight.bulletins.models import Bulletin
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


@pytest.mark.parametrize(
    ("holder", "active", "home_active"),
    [
        (h, a, ha)
        for h in ("user", "system", "nobody")
        for a in (True, False)
        for ha in (True, False)
    ],
)
def test_a_listed_author_is_named_under_the_one_rule(
    client, db, factory, auth, holder, active, home_active
):
    """The names a list reads with its rows follow the rule of the item read alone: a person
    (a user or a partner system) by name only while active in an active agency; someone the
    service does not know (an id written around it) as a former member."""
    home = factory.agency()
    editor = factory.user(home, roles=["editor"])
    writer: Any = {
        "user": factory.user(home, roles=["editor"], display_name="Owen Price"),
        "system": factory.service_account(home, scopes=["bulletins:read", "bulletins:write"]),
        "nobody": editor,
    }[holder]
    bulletin = publish(client, auth(editor), create(client, auth(writer), tlp="GREEN"))
    if holder == "nobody":
        unknown = uuid.uuid4()
        db.get(Bulletin, uuid.UUID(bulletin["id"])).author_id = unknown
    writer.is_active = active
    home.status = "active" if home_active else "suspended"
    db.commit()
    reader = factory.user()
    author = _listed(client, BULLETINS, auth(reader), bulletin["id"])["author"]
    named = getattr(writer, "display_name", None) or getattr(writer, "name", None)
    shown = named if holder != "nobody" and active and home_active else FORMER
    assert author["display_name"] == shown
    assert author["id"] == (str(unknown) if holder == "nobody" else str(writer.id))
