"""GET /audit, /audit/verify and /audit/export through HTTP, and who may call them."""

import hashlib
import json
from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from oversight.audit.models import GENESIS_HASH
from oversight.audit.recorder import record
from oversight.db import utcnow
from tests.support.audit import records

AUDIT = "/api/v1/audit"


@pytest.fixture
def auditor(factory):
    return factory.user(roles=["auditor"])


def _events(db, n, **kw):
    for i in range(n):
        record(
            db,
            kw.get("action", "test.event"),
            resource_type="thing",
            resource_id=f"t{i}",
            **{k: v for k, v in kw.items() if k != "action"},
        )
        db.commit()


def test_list_is_newest_first_with_keyset_pages(client, db, auth, auditor):
    _events(db, 5)
    total = len(records(db))
    seen = []
    url, params = AUDIT, {"limit": 2}
    while True:
        r = client.get(url, params=params, headers=auth(auditor))
        assert r.status_code == 200, r.text
        body = r.json()
        seen += [item["seq"] for item in body["items"]]
        if not body["next_cursor"]:
            assert "link" not in r.headers
            break
        assert 'rel="next"' in r.headers["link"]
        params = {"limit": 2, "cursor": body["next_cursor"]}
    assert seen == list(range(total, 0, -1))


def test_list_filters(client, db, auth, auditor, factory):
    other = factory.agency()
    _events(db, 2, action="test.alpha")
    record(db, "test.beta", resource_type="widget", resource_id="w1")
    db.commit()
    h = auth(auditor)

    def seqs(**params):
        r = client.get(AUDIT, params=params, headers=h)
        assert r.status_code == 200, r.text
        return [(i["action"], i["resource_type"], i["resource_id"]) for i in r.json()["items"]]

    assert seqs(action="test.alpha") == [
        ("test.alpha", "thing", "t1"),
        ("test.alpha", "thing", "t0"),
    ]
    assert seqs(resource_type="widget") == [("test.beta", "widget", "w1")]
    assert seqs(resource_type="thing", resource_id="t0") == [("test.alpha", "thing", "t0")]
    assert seqs(resource_type="agency", resource_id=str(other.id)) == [
        ("agency.create", "agency", str(other.id))
    ]
    assert seqs(actor_id="system", action="test.beta") == [("test.beta", "widget", "w1")]
    assert seqs(actor_id="nobody") == []
    assert seqs(agency_id=str(other.id)) == []
    now = utcnow()
    assert len(seqs(since=(now - timedelta(minutes=5)).isoformat(), action="test.alpha")) == 2
    assert seqs(until=(now - timedelta(minutes=5)).isoformat()) == []


def test_list_by_actor_and_agency_after_a_request(client, db, auth, auditor, factory):
    admin = factory.user(roles=["admin"])
    r = client.post(
        "/api/v1/agencies", json={"name": "Filter Agency", "sector": "health"}, headers=auth(admin)
    )
    assert r.status_code == 201, r.text
    h = auth(auditor)
    by_actor = client.get(AUDIT, params={"actor_id": str(admin.id)}, headers=h).json()["items"]
    assert [i["action"] for i in by_actor] == ["agency.create"]
    item = by_actor[0]
    assert item["actor_type"] == "user" and item["agency_id"] == str(admin.agency_id)
    assert item["request_id"] == r.headers["x-request-id"]
    assert item["ip"] and item["user_agent"]
    by_agency = client.get(AUDIT, params={"agency_id": str(admin.agency_id)}, headers=h).json()
    assert item in by_agency["items"]


@pytest.mark.parametrize(
    "params",
    [
        {"since": "2026-11-27T09:30:00"},  # no time zone
        {"since": "yesterday"},
        {"since": "2026-11-27T10:00:00Z", "until": "2026-11-27T09:00:00Z"},
        {"limit": 0},
        {"action": "x" * 65},
    ],
)
def test_list_rejects_bad_filters(client, auth, auditor, params):
    r = client.get(AUDIT, params=params, headers=auth(auditor))
    # A malformed query string is 400 (contract §12); a well-formed but impossible range 422.
    assert r.status_code == (422 if "until" in params else 400), r.text
    assert r.headers["content-type"].startswith("application/problem+json")


def test_list_rejects_a_bad_cursor(client, auth, auditor):
    r = client.get(AUDIT, params={"cursor": "garbage.cursor"}, headers=auth(auditor))
    assert r.status_code == 400


def test_verify(client, db, auth, auditor):
    _events(db, 3)
    r = client.get(f"{AUDIT}/verify", headers=auth(auditor))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["ok"] is True and body["first_bad_seq"] is None
    assert body["records"] == len(records(db)) and body["head_hash"] == records(db)[-1].hash
    again = client.get(
        f"{AUDIT}/verify",
        params={"expected_seq": body["records"], "expected_head": body["head_hash"]},
        headers=auth(auditor),
    ).json()
    assert again["ok"] is True
    beyond = client.get(
        f"{AUDIT}/verify", params={"expected_seq": 10**6}, headers=auth(auditor)
    ).json()
    assert beyond["ok"] is False and beyond["first_bad_seq"] == len(records(db)) + 1


@pytest.mark.parametrize(
    "params",
    [{"expected_head": "a" * 64}, {"expected_seq": 0}, {"expected_seq": 1, "expected_head": "xyz"}],
)
def test_verify_rejects_a_bad_checkpoint(client, auth, auditor, params):
    r = client.get(f"{AUDIT}/verify", params=params, headers=auth(auditor))
    # A malformed query string is 400 (contract §12); a head without its seq 422.
    assert r.status_code == (422 if params == {"expected_head": "a" * 64} else 400), r.text


def test_export_streams_the_chain_as_json_lines(client, db, auth, auditor):
    _events(db, 4)
    r = client.get(f"{AUDIT}/export", headers=auth(auditor))
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/x-ndjson")
    lines = r.text.splitlines()
    assert [json.loads(line)["seq"] for line in lines] == list(range(1, len(lines) + 1))
    assert json.loads(lines[-1])["action"] == "audit.export"  # the export records itself
    prev = GENESIS_HASH
    for line in lines:
        doc = json.loads(line)
        digest = doc.pop("hash")
        body = json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        assert hashlib.sha256((prev + body).encode()).hexdigest() == digest
        prev = digest
    assert len(lines) == len(records(db))


@pytest.mark.parametrize("path", ["", "/verify", "/export"])
def test_a_member_without_audit_read_is_refused_and_recorded(client, db, auth, factory, path):
    member = factory.user(roles=["editor", "agency_admin"])
    r = client.get(f"{AUDIT}{path}", headers=auth(member))
    assert r.status_code == 403, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    (denial,) = records(db, action="auth.permission_denied")
    assert denial.outcome == "denied"
    assert denial.actor_type == "user" and denial.actor_id == str(member.id)
    assert denial.agency_id == str(member.agency_id)
    assert denial.changes == {
        "required_scope": ["audit:read"],
        "method": "GET",
        "path": f"{AUDIT}{path}",
    }
    assert denial.request_id == r.headers["x-request-id"]
    assert records(db, action="audit.export") == []


def test_a_token_narrowed_without_audit_read_is_refused(client, auth, auditor):
    r = client.get(AUDIT, headers=auth(auditor, scope="bulletins:read"))
    assert r.status_code == 403


@pytest.mark.parametrize("path", ["", "/verify", "/export"])
def test_anonymous_is_401(client, path):
    r = client.get(f"{AUDIT}{path}")
    assert r.status_code == 401
    assert r.headers["www-authenticate"] == "Bearer"


def test_no_endpoint_edits_the_trail(client, auth, auditor):
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        r = client.request(method, AUDIT, headers=auth(auditor))
        assert r.status_code == 405, (method, r.status_code)


def test_the_database_refuses_update_and_delete(connection, db):
    record(db, "test.event")
    db.commit()
    statements = [
        "UPDATE audit_record SET outcome = 'failure'",
        "DELETE FROM audit_record",
    ]
    if connection.dialect.name == "postgresql":
        statements.append("TRUNCATE audit_record")
    for statement in statements:
        with pytest.raises(DBAPIError, match="append-only"), connection.begin_nested():
            connection.execute(text(statement))
    assert records(db)


def test_the_openapi_documents_the_audit_endpoints(client):
    paths = client.get("/openapi.json").json()["paths"]
    listing = paths[AUDIT]["get"]
    assert listing["responses"]["200"]["content"]["application/json"]["example"]["items"]
    assert {"OAuth2": ["audit:read"]} in listing["security"]
    verify = paths[f"{AUDIT}/verify"]["get"]
    assert {p["name"] for p in verify["parameters"]} == {"expected_seq", "expected_head"}
    export = paths[f"{AUDIT}/export"]["get"]["responses"]["200"]["content"]
    assert "example" in export["application/x-ndjson"]
