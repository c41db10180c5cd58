"""Reports and actions are listed from stored representations too (issue 18): each reader
lists an item exactly as it reads it alone; who reported an anonymous report, an action's
RAG status and the links a reader may follow are decided live, never stored."""

import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from oversight.db import utcnow
from oversight.representations.models import StoredRepresentation
from tests.support import reports
from tests.support.bulletins import create, publish
from tests.support.meetings import ACTIONS, create_action, post_update


def _listed(client, api: str, headers) -> dict[str, dict[str, Any]]:
    r = client.get(api, params={"limit": 200}, headers=headers)
    assert r.status_code == 200, r.text
    return {i["id"]: i for i in r.json()["items"]}


def _alone(client, api: str, headers, item_id: str) -> dict[str, Any]:
    r = client.get(f"{api}/{item_id}", headers=headers)
    assert r.status_code == 200, r.text
    return r.json()


def _body(db, item_id: str) -> str:
    db.expire_all()
    t = StoredRepresentation
    return db.scalars(select(t.body).where(t.item_id == uuid.UUID(item_id))).one()


def test_an_anonymous_report_is_listed_without_its_reporter_to_peers(client, factory, auth, db):
    agency, peer = factory.agency(), factory.agency()
    editor = factory.user(agency, roles=["editor"])
    report = reports.create(client, auth(editor), tlp="GREEN", anonymous_to_peers=True)
    body = _body(db, report["id"])
    assert str(agency.id) not in body and str(editor.id) not in body  # never stored
    for reader, anonymous in ((factory.user(agency), False), (factory.user(peer), True)):
        h = auth(reader)
        listed = _listed(client, reports.API, h)[report["id"]]
        assert listed == _alone(client, reports.API, h, report["id"])
        assert (listed["agency_id"] is None) is anonymous
        assert (listed["author"] is None) is anonymous
    # An edit is listed at its new version, still anonymous to the peer.
    r = client.patch(
        f"{reports.API}/{report['id']}",
        json={"financial_loss_gbp": 25000},
        headers=reports.if_match(auth(editor), report),
    )
    assert r.status_code == 200, r.text
    h = auth(factory.user(peer))
    listed = _listed(client, reports.API, h)[report["id"]]
    assert listed["financial_loss_gbp"] == 25000 and listed["agency"] is None
    assert listed == _alone(client, reports.API, h, report["id"])


def test_an_actions_rag_status_is_of_today_not_of_its_writing(client, factory, auth, db):
    owner = factory.agency()
    editor = factory.user(owner, roles=["editor"])
    h = auth(editor)
    due = (utcnow() + timedelta(days=3)).date().isoformat()
    late = create_action(client, h, owner.id, due_date="2020-09-30")
    soon = create_action(client, h, owner.id, due_date=due)
    listed = _listed(client, ACTIONS, h)
    assert listed[late["id"]]["rag_status"] == "red" and listed[late["id"]]["overdue"] is True
    assert listed[soon["id"]]["rag_status"] == "amber"
    assert '"rag_status"' not in _body(db, late["id"])
    for item in (late, soon):
        assert listed[item["id"]] == _alone(client, ACTIONS, h, item["id"])
    # A status change through the progress log is listed at the action's new version.
    r = post_update(client, h, late, note="Done at the March board", status="done")
    assert r.status_code == 201, r.text
    done = _listed(client, ACTIONS, h)[late["id"]]
    assert done["status"] == "done" and done["rag_status"] is None
    assert done == _alone(client, ACTIONS, h, late["id"])


def test_an_actions_link_is_listed_only_to_who_reads_the_bulletin(client, factory, auth):
    owner, outsider_agency = factory.agency(), factory.agency()
    editor = factory.user(owner, roles=["editor"])
    h = auth(editor)
    bulletin = publish(client, h, create(client, h, tlp="AMBER+STRICT"))
    action = create_action(client, h, outsider_agency.id, bulletin_id=bulletin["id"])
    assert _listed(client, ACTIONS, h)[action["id"]]["bulletin_id"] == bulletin["id"]
    # The owner agency of the action reads the action, not its owner's AMBER+STRICT bulletin.
    theirs = auth(factory.user(outsider_agency))
    listed = _listed(client, ACTIONS, theirs)[action["id"]]
    assert listed["bulletin_id"] is None
    assert listed == _alone(client, ACTIONS, theirs, action["id"])


def test_actions_sorted_by_due_date_page_from_stored_representations(client, factory, auth):
    owner = factory.agency()
    editor = factory.user(owner, roles=["editor"])
    h = auth(editor)
    made = [
        create_action(client, h, owner.id, due_date=f"2027-0{m}-01", title=f"Action {m}")
        for m in (3, 1, 2)
    ]
    seen, cursor = [], None
    while True:
        params: dict[str, Any] = {"sort": "due_date", "limit": 1}
        if cursor:
            params["cursor"] = cursor
        page = client.get(ACTIONS, params=params, headers=h).json()
        seen += [i["due_date"] for i in page["items"] if i["id"] in {a["id"] for a in made}]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == ["2027-01-01", "2027-02-01", "2027-03-01"]
