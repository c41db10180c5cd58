"""Reports: submitted at once, edited by the reporting agency, withdrawn with a reason,
promoted to a draft bulletin, searched, and anonymous towards peers in every output."""

from sqlalchemy import select

from oversight.audit.models import AuditRecord
from tests.support.reports import API, create, if_match, payload


def _actions(db, report_id):
    rows = db.scalars(
        select(AuditRecord).where(AuditRecord.resource_id == report_id).order_by(AuditRecord.seq)
    )
    return [(r.action, r.changes, r.agency_id) for r in rows]


def test_submit_edit_withdraw_and_its_audit(client, factory, auth, db):
    editor = factory.user(roles=["editor"])
    h = auth(editor)
    r = create(client, h)
    assert r["status"] == "submitted" and r["version"] == 1 and r["tlp"] == "AMBER"
    assert r["agency"]["id"] == str(editor.agency_id) and r["author"]["id"] == str(editor.id)
    assert r["include_in_statistics"] is True and r["bulletin_id"] is None
    got = client.get(f"{API}/{r['id']}", headers=h)
    assert got.status_code == 200 and got.headers["etag"] == '"1"'
    no_match = client.patch(f"{API}/{r['id']}", json={"outcome": "contained"}, headers=h)
    assert no_match.status_code == 428
    stale = client.patch(
        f"{API}/{r['id']}", json={"outcome": "contained"}, headers={**h, "If-Match": '"7"'}
    )
    assert stale.status_code == 412
    edited = client.patch(f"{API}/{r['id']}", json={"outcome": "contained"}, headers=if_match(h, r))
    assert edited.status_code == 200, edited.text
    r = edited.json()
    assert r["outcome"] == "contained" and r["version"] == 2
    refused = client.post(f"{API}/{r['id']}/withdraw", json={}, headers=if_match(h, r))
    assert refused.status_code == 422
    w = client.post(
        f"{API}/{r['id']}/withdraw", json={"reason": "Reported twice"}, headers=if_match(h, r)
    )
    assert w.status_code == 200, w.text
    w = w.json()
    assert w["status"] == "withdrawn" and w["withdrawal_reason"] == "Reported twice"
    late = client.patch(f"{API}/{r['id']}", json={"outcome": "loss"}, headers=if_match(h, w))
    assert late.status_code == 409
    actions = [a for a, _, _ in _actions(db, r["id"])]
    assert actions[0] == "report.create" and "report.withdraw" in actions
    assert "report.read" in actions  # an AMBER read is audited
    changes = dict((a, c) for a, c, _ in _actions(db, r["id"]))["report.create"]
    assert "after_sha256" in changes["description"] and "after" not in changes["description"]


def test_only_editors_of_the_reporting_agency_write(client, factory, auth):
    agency = factory.agency()
    member = factory.user(agency)
    editor = factory.user(agency, roles=["editor"])
    other = factory.user(roles=["editor"])
    assert client.post(API, json=payload(), headers=auth(member)).status_code == 403
    r = create(client, auth(editor), tlp="GREEN")
    assert client.get(f"{API}/{r['id']}", headers=auth(member)).status_code == 200
    h = if_match(auth(other), r)
    assert client.patch(f"{API}/{r['id']}", json={"outcome": "loss"}, headers=h).status_code == 403
    partner = factory.service_account(agency, scopes=["reports:read", "reports:write"])
    assert client.post(API, json=payload(), headers=auth(partner)).status_code == 201
    reader = factory.service_account(agency, scopes=["reports:read"])
    assert client.post(API, json=payload(), headers=auth(reader)).status_code == 403


def test_bad_input_is_a_problem_not_an_error(client, factory, auth):
    h = auth(factory.user(roles=["editor"]))
    for bad in (
        {"financial_loss_gbp": -1},
        {"occurred_on": "2999-01-01"},
        {"vector": "carrier_pigeon"},
        {"protective_marking": "SECRET"},
        {"surprise": 1},
        {"tlp": "RED", "recipient_agencies": [str(factory.agency().id)]},
    ):
        r = client.post(API, json=payload(**bad), headers=h)
        assert r.status_code == 422, (bad, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
    for query in ({"from": "0.5"}, {"kind": "big"}, {"agency": "x"}, {"cursor": "!!"}):
        r = client.get(API, params=query, headers=h)
        assert r.status_code == 400, (query, r.text)


def test_anonymous_to_peers_hides_agency_and_author_from_other_agencies(client, factory, auth, db):
    agency = factory.agency()
    editor = factory.user(agency, roles=["editor"])
    colleague = factory.user(agency)
    peer = factory.user(roles=["editor", "admin", "auditor"])
    r = create(client, auth(editor), tlp="GREEN", anonymous_to_peers=True, description="mandate")
    hidden = {"agency": None, "agency_id": None, "author": None, "author_id": None}
    item = client.get(f"{API}/{r['id']}", headers=auth(peer)).json()
    assert {k: item[k] for k in hidden} == hidden
    listed = client.get(API, headers=auth(peer)).json()["items"]
    assert [{k: x[k] for k in hidden} for x in listed if x["id"] == r["id"]] == [hidden]
    found = client.get(API, params={"q": "mandate"}, headers=auth(peer)).json()["items"]
    assert [x["id"] for x in found] == [r["id"]] and found[0]["agency"] is None
    own = client.get(f"{API}/{r['id']}", headers=auth(colleague)).json()
    assert own["agency_id"] == str(agency.id) and own["author_id"] == str(editor.id)
    assert str(agency.id) not in str(item) and str(editor.id) not in str(item)
    audit = client.get("/api/v1/audit", params={"resource_id": r["id"]}, headers=auth(peer)).json()[
        "items"
    ]
    assert audit[0]["actor_id"] == str(editor.id)  # the trail keeps the truth


def test_filters_and_search(client, factory, auth):
    h = auth(factory.user(roles=["editor"]))
    a = create(
        client,
        h,
        kind="near_miss",
        outcome="prevented",
        occurred_on="2026-01-10",
        description="Invoice redirection stopped by a call back",
    )
    b = create(
        client,
        h,
        vector="ddos",
        category="ddos",
        occurred_on="2026-02-20",
        description="Booking site flooded for a morning",
    )

    def ids(**params):
        r = client.get(API, params=params, headers=h)
        assert r.status_code == 200, r.text
        return {x["id"] for x in r.json()["items"]}

    assert ids(kind="near_miss") == {a["id"]}
    assert ids(vector="ddos", category="ddos") == {b["id"]}
    assert ids(outcome="prevented", victim_type="sme") == {a["id"]}
    assert ids(**{"from": "2026-02-01"}) == {b["id"]}
    assert ids(**{"to": "2026-01-31"}) == {a["id"]}
    assert ids(q="invoices calling") == {a["id"]}
    assert ids(q="flooded booking") == {b["id"]}
    assert ids(q="flooded invoice") == set()


def test_promote_drafts_a_bulletin_that_names_the_report(client, factory, auth, db):
    agency = factory.agency()
    editor = factory.user(agency, roles=["editor"])
    h = auth(editor)
    r = create(client, h, tlp="AMBER+STRICT", description="First paragraph.\n\nDetails.")
    p = client.post(f"{API}/{r['id']}/promote", headers={**h, "Idempotency-Key": "k1"})
    assert p.status_code == 201, p.text
    bulletin = p.json()
    assert bulletin["status"] == "draft" and bulletin["report_id"] == r["id"]
    assert bulletin["tlp"] == "AMBER+STRICT" and bulletin["agency_id"] == str(agency.id)
    assert bulletin["summary"] == "First paragraph." and bulletin["category"] == "fraud"
    assert p.headers["location"].endswith(f"/bulletins/{bulletin['id']}")
    again = client.post(f"{API}/{r['id']}/promote", headers={**h, "Idempotency-Key": "k1"})
    assert again.json() == bulletin
    assert client.post(f"{API}/{r['id']}/promote", headers=h).status_code == 409
    assert client.get(f"{API}/{r['id']}", headers=h).json()["bulletin_id"] == bulletin["id"]
    member = factory.user(agency)  # reads the report, not the draft
    assert client.get(f"{API}/{r['id']}", headers=auth(member)).json()["bulletin_id"] is None
    outsider = factory.user(roles=["editor"])
    assert client.post(f"{API}/{r['id']}/promote", headers=auth(outsider)).status_code == 404
    assert "report.promote" in [a for a, _, _ in _actions(db, r["id"])]
