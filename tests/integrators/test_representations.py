"""Contract §12: names beside ids on every classified item, recipients the owner's business,
and a page's names for one lookup whatever its size."""

from typing import Any

import pytest
from sqlalchemy import event

from tests.support import reports
from tests.support.bulletins import API as BULLETINS
from tests.support.bulletins import create, publish
from tests.support.meetings import ACTIONS, MEETINGS, create_action, create_meeting


def test_a_bulletin_names_its_agency_and_author(client, factory, auth):
    agency = factory.agency(name="Northshire Schools Trust", slug="schools-trust")
    editor = factory.user(agency, roles=["editor"], display_name="Owen Price")
    b = create(client, auth(editor))
    assert b["agency"] == {"id": str(agency.id), "name": agency.name, "slug": "schools-trust"}
    assert b["author"] == {"id": str(editor.id), "display_name": "Owen Price"}
    assert b["agency_id"] == str(agency.id) and b["author_id"] == str(editor.id)


def test_a_disabled_author_is_a_former_member(client, db, factory, auth):
    editor = factory.user(roles=["editor"])
    reader = factory.user()
    b = publish(client, auth(editor), create(client, auth(editor)))
    editor.is_active = False
    db.commit()
    seen = client.get(f"{BULLETINS}/{b['id']}", headers=auth(reader)).json()
    assert seen["author"] == {"id": str(editor.id), "display_name": "(former member)"}


def test_actions_and_meetings_name_their_people_and_agencies(client, factory, auth):
    owner_agency = factory.agency()
    editor = factory.user(roles=["editor"], display_name="Dan Whitfield")
    assignee = factory.user(owner_agency, display_name="Ruth Adeyemi")
    chair = factory.user(display_name="Morgan Lee")
    action = create_action(client, auth(editor), owner_agency.id, assignee_user_id=str(assignee.id))
    assert action["owner_agency"]["id"] == str(owner_agency.id)
    assert action["owner_agency"]["slug"] == owner_agency.slug
    assert action["assignee"] == {"id": str(assignee.id), "display_name": "Ruth Adeyemi"}
    assert action["author"]["display_name"] == "Dan Whitfield"
    meeting = create_meeting(client, auth(editor), chair_user_id=str(chair.id))
    assert meeting["chair"] == {"id": str(chair.id), "display_name": "Morgan Lee"}
    assert meeting["agency"]["id"] == str(editor.agency_id)


def test_recipients_are_shown_to_the_owner_only(client, factory, auth):
    owner = factory.agency()
    named, other = factory.agency(), factory.agency()
    editor = factory.user(owner, roles=["editor"])
    b = publish(
        client,
        auth(editor),
        create(client, auth(editor), tlp="AMBER", recipient_agencies=[str(named.id)]),
    )
    mine = client.get(f"{BULLETINS}/{b['id']}", headers=auth(factory.user(owner))).json()
    assert mine["recipient_agencies"] == [str(named.id)] and mine["shared_with_you"] is False
    theirs = client.get(f"{BULLETINS}/{b['id']}", headers=auth(factory.user(named))).json()
    assert theirs["recipient_agencies"] is None and theirs["recipient_users"] is None
    assert theirs["shared_with_you"] is True
    listed = client.get(BULLETINS, headers=auth(factory.user(named))).json()["items"]
    assert all(i["recipient_agencies"] is None for i in listed if i["id"] == b["id"])
    # AMBER naming someone else: not readable by the third agency at all.
    assert (
        client.get(f"{BULLETINS}/{b['id']}", headers=auth(factory.user(other))).status_code == 404
    )


APIS = {"meeting": MEETINGS, "report": reports.API, "action": ACTIONS, "bulletin": BULLETINS}
OTHER_KINDS = ["meeting", "report", "action"]


def _make(client, kind: str, headers, owner_agency, **classification: Any) -> dict[str, Any]:
    """A new item of this kind, by the editor of `headers`; an action is owned by
    `owner_agency`; a bulletin is published."""
    if kind == "meeting":
        return create_meeting(client, headers, **classification)
    if kind == "report":
        return reports.create(client, headers, **classification)
    if kind == "action":
        return create_action(client, headers, owner_agency.id, **classification)
    return publish(client, headers, create(client, headers, **classification))


def _seen(client, kind: str, item: dict[str, Any], headers) -> dict[str, Any]:
    """The item as this reader reads it, checked to be the same in the list."""
    one = client.get(f"{APIS[kind]}/{item['id']}", headers=headers)
    assert one.status_code == 200, one.text
    listed = client.get(APIS[kind], params={"limit": 200}, headers=headers).json()["items"]
    [same] = [i for i in listed if i["id"] == item["id"]]
    shown = one.json()
    for key in ("recipient_agencies", "recipient_users", "shared_with_you"):
        assert same[key] == shown[key], key
    return shown


@pytest.mark.parametrize("kind", OTHER_KINDS)
def test_recipients_of_meetings_reports_and_actions_are_the_owners_business(
    client, factory, auth, kind
):
    owner, named, third = factory.agency(), factory.agency(), factory.agency()
    editor = factory.user(owner, roles=["editor"])
    item = _make(client, kind, auth(editor), third, tlp="AMBER", recipient_agencies=[str(named.id)])

    mine = _seen(client, kind, item, auth(factory.user(owner)))
    assert mine["recipient_agencies"] == [str(named.id)] and mine["recipient_users"] == []
    assert mine["shared_with_you"] is False
    theirs = _seen(client, kind, item, auth(factory.user(named)))
    assert theirs["recipient_agencies"] is None and theirs["recipient_users"] is None
    assert theirs["shared_with_you"] is True
    if kind == "action":  # its owner agency reads it unnamed, and learns no recipient
        unnamed = _seen(client, kind, item, auth(factory.user(third)))
        assert unnamed["recipient_agencies"] is None and unnamed["recipient_users"] is None
        assert unnamed["shared_with_you"] is False

    # AMBER naming nobody: every member agency reads it, and none is told it was named.
    for_all = _make(client, kind, auth(editor), third, tlp="AMBER")
    outside = _seen(client, kind, for_all, auth(factory.user(named)))
    assert outside["recipient_agencies"] is None and outside["recipient_users"] is None
    assert outside["shared_with_you"] is False


@pytest.mark.parametrize("kind", [*OTHER_KINDS, "bulletin"])
def test_a_red_item_shows_its_named_people_to_the_author_and_owning_agency_only(
    client, factory, auth, kind
):
    agency, elsewhere = factory.agency(), factory.agency()
    author = factory.user(agency, roles=["editor"])
    colleague, outsider = factory.user(agency), factory.user(elsewhere)
    named = sorted([str(colleague.id), str(outsider.id)])
    item = _make(client, kind, auth(author), agency, tlp="RED", recipient_users=named)
    by_author = _seen(client, kind, item, auth(author))
    assert sorted(by_author["recipient_users"]) == named and by_author["shared_with_you"] is False
    # The named person of the owning agency sees the list, and that it is named.
    by_colleague = _seen(client, kind, item, auth(colleague))
    assert sorted(by_colleague["recipient_users"]) == named
    assert by_colleague["shared_with_you"] is True
    # The named person of another agency learns only that it is named.
    by_outsider = _seen(client, kind, item, auth(outsider))
    assert by_outsider["recipient_users"] is None and by_outsider["recipient_agencies"] is None
    assert by_outsider["shared_with_you"] is True


def _count_queries(engine, call):
    seen: list[str] = []

    def note(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    try:
        call()
    finally:
        event.remove(engine, "before_cursor_execute", note)
    return len(seen)


def test_names_are_read_with_the_page_whatever_its_size(client, factory, auth, connection):
    editor = factory.user(roles=["editor"])
    authors = [factory.user(roles=["editor"]) for _ in range(5)]
    for n in range(50):
        publish(client, auth(authors[n % 5]), create(client, auth(authors[n % 5]), tlp="GREEN"))
    h = auth(editor)
    engine = connection.engine
    small = _count_queries(engine, lambda: client.get(BULLETINS, params={"limit": 5}, headers=h))
    large = _count_queries(engine, lambda: client.get(BULLETINS, params={"limit": 50}, headers=h))
    assert large == small  # no query per item
    # The token check, then the page itself: each item's stored representation and the
    # names of the agencies and people (users and partner systems) it names, with it.
    assert large == 2, large


@pytest.mark.parametrize("api", [ACTIONS, reports.API])
def test_actions_and_reports_pages_cost_two_statements(client, factory, auth, connection, api):
    editor = factory.user(roles=["editor"])
    owner = factory.agency()
    assignee = factory.user(owner)
    for n in range(12):
        if api == ACTIONS:
            create_action(client, auth(editor), owner.id, assignee_user_id=str(assignee.id))
        else:
            reports.create(client, auth(editor), anonymous_to_peers=n % 2 == 0)
    h = auth(factory.user(roles=["editor"]))
    engine = connection.engine
    small = _count_queries(engine, lambda: client.get(api, params={"limit": 2}, headers=h))
    large = _count_queries(engine, lambda: client.get(api, params={"limit": 12}, headers=h))
    assert small == large == 2, (small, large)


def test_meetings_list_names_without_n_plus_one(client, factory, auth, connection):
    editor = factory.user(roles=["editor"])
    chair = factory.user()
    for _ in range(12):
        create_meeting(client, auth(editor), chair_user_id=str(chair.id))
    h = auth(editor)
    engine = connection.engine
    small = _count_queries(engine, lambda: client.get(MEETINGS, params={"limit": 2}, headers=h))
    large = _count_queries(engine, lambda: client.get(MEETINGS, params={"limit": 12}, headers=h))
    assert large == small
