"""The low findings at the edge: bad input is a 4xx on every endpoint and both databases
(dates at the ends of the calendar, NUL anywhere, cursors that are signed but not ours),
bodies in UTF-8 JSON only, links that never repeat the Host header, parameters never logged."""

import base64
import hashlib
import hmac
import json
import re
import uuid

import pytest
from sqlalchemy import text

from oversight.db import make_engine
from tests.support.bulletins import API as BULLETINS
from tests.support.bulletins import create, payload
from tests.support.databases import TEST_SECRET

EDGES = ("0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00", "0.5", "1700000000")
NUL = "a\x00b"


def _operations(app):
    """(method, path with ids filled in, its operation) for every API operation."""
    for path, item in app.openapi()["paths"].items():
        if not path.startswith("/api/v1"):
            continue
        concrete = re.sub(r"\{[^}]+\}", str(uuid.uuid4()), path)
        for method, operation in item.items():
            yield method.upper(), concrete, operation


def _query_params(operation, kind: str):
    for p in operation.get("parameters", []):
        if p["in"] != "query":
            continue
        schema = p["schema"]
        variants = schema.get("anyOf", [schema])
        if any(v.get("format") == kind or v.get("type") == kind for v in variants):
            yield p["name"]


@pytest.fixture
def everyone(factory, auth):
    """An admin who is also its agency's admin, an editor and an auditor: every endpoint
    lets it in."""
    return auth(factory.user(roles=["admin", "agency_admin", "editor", "auditor"]))


def _send(client, method, url, headers, **kw):
    r = client.request(method, url, headers=headers, **kw)
    assert 400 <= r.status_code < 500, (method, url, r.status_code, r.text)
    return r


def test_dates_at_the_ends_of_the_calendar_are_refused_everywhere(client, everyone, app):
    tried = 0
    for method, url, operation in _operations(app):
        for name in _query_params(operation, "date-time"):
            for edge in EDGES:
                _send(client, method, url, everyone, params={name: edge})
                tried += 1
    assert tried >= 12  # updated_after, from/to, since/until ...
    r = _send(
        client,
        "POST",
        "/api/v1/meetings",
        everyone,
        json={"title": "Board", "held_at": EDGES[1], "tlp": "GREEN"},
    )
    assert r.status_code == 422 and "held_at" in r.json()["detail"]


def test_nul_in_any_string_is_refused_everywhere(client, everyone, app):
    tried = 0
    for method, url, operation in _operations(app):
        for name in _query_params(operation, "string"):
            r = _send(client, method, url, everyone, params={name: NUL})
            assert r.status_code == 400
            tried += 1
        if "requestBody" in operation:
            content = operation["requestBody"]["content"]
            if "application/json" in content:
                r = _send(client, method, url, everyone, json={"title": NUL, "note": [NUL]})
                assert r.status_code == 422, r.text
                assert r.json()["errors"][0]["type"] == "nul_character"
            else:
                r = _send(client, method, url, everyone, data={"username": NUL})
            tried += 1
    assert tried >= 30
    r = _send(client, "GET", f"{BULLETINS}%00", everyone)
    r = _send(client, "POST", BULLETINS, everyone, json=payload(title="Ransom\u0000ware"))
    assert r.json()["errors"][0]["loc"] == ["body", "title"]


def _signed_cursor(path: str, keys: object) -> str:
    key = hashlib.sha256(b"cursor:" + TEST_SECRET.encode()).digest()
    raw = json.dumps({"p": path, "k": keys}, separators=(",", ":")).encode()
    sig = hmac.new(key, raw, hashlib.sha256).digest()[:16]

    def b64(b: bytes) -> str:
        return base64.urlsafe_b64encode(b).rstrip(b"=").decode()

    return f"{b64(raw)}.{b64(sig)}"


@pytest.mark.parametrize(
    "keys",
    [
        [{"t": "not a time"}, {"u": "not-a-uuid"}],
        [{"t": "2026-01-01T00:00:00"}, {"u": str(uuid.uuid4())}],  # no time zone
        [{"t": 5}, {"u": None}],
        [[1, 2], {"x": 1}],
        "keys",
    ],
)
def test_a_signed_cursor_whose_keys_are_not_ours_is_400(client, everyone, app, keys):
    lists = [
        (m, u, op) for m, u, op in _operations(app) if "cursor" in set(_query_params(op, "string"))
    ]
    assert len(lists) >= 8
    for method, url, _ in lists:
        r = _send(client, method, url, everyone, params={"cursor": _signed_cursor(url, keys)})
        # The cursor is read before anything is looked up: a list under an item whose id
        # does not exist (random here) refuses the cursor as well.
        assert r.status_code == 400, (url, r.text)


@pytest.mark.parametrize(
    ("content_type", "status"),
    [
        ("application/json; charset=latin-1", 415),
        ("application/vnd.evil+json", 415),
        ("text/plain", 415),
        ("application/json; charset=UTF-8", 201),
        ("application/json", 201),
    ],
)
def test_bodies_are_json_in_utf8(client, factory, auth, content_type, status):
    h = {**auth(factory.user(roles=["editor"])), "Content-Type": content_type}
    r = client.post(BULLETINS, content=json.dumps(payload()).encode(), headers=h)
    assert r.status_code == status, r.text


def test_merge_patch_is_accepted_for_edits(client, factory, auth):
    h = auth(factory.user(roles=["editor"]))
    b = create(client, h)
    r = client.patch(
        f"{BULLETINS}/{b['id']}",
        content=json.dumps({"title": "Merge-patched title"}),
        headers={**h, "If-Match": '"1"', "Content-Type": "application/merge-patch+json"},
    )
    assert r.status_code == 200 and r.json()["title"] == "Merge-patched title"


def test_the_next_link_never_repeats_the_host_header(client, factory, auth):
    h = auth(factory.user(roles=["editor"]))
    create(client, h)
    create(client, h)
    r = client.get(BULLETINS, params={"limit": 1}, headers={**h, "Host": "evil.example"})
    assert r.status_code == 200
    assert r.headers["link"].startswith(f"<{BULLETINS}?")
    assert "evil.example" not in r.headers["link"]


def test_hosts_outside_the_allowed_list_are_refused(settings, engine, session_factory, factory):
    from fastapi.testclient import TestClient

    from oversight.main import create_app

    app = create_app(
        settings.model_copy(update={"allowed_hosts": ["api.oversight.example"]}), engine
    )
    app.state.sessionmaker = session_factory
    with TestClient(app, base_url="http://api.oversight.example") as ok:
        assert ok.get("/healthz").status_code == 200
    with TestClient(app, base_url="http://evil.example") as evil:
        r = evil.get("/healthz")
        assert r.status_code == 400 and r.headers["x-request-id"]


def test_statement_parameters_never_reach_an_error_or_a_log(databases):
    """An error's text (what the log gets) names the statement, never the values bound to it."""
    engine = make_engine(databases.new_url())
    try:
        assert engine.hide_parameters is True
        secret = "hunter2-password-hash"
        with engine.connect() as conn, pytest.raises(Exception) as failed:
            conn.execute(text("SELECT * FROM no_such_table WHERE x = :x"), {"x": secret})
        assert "no_such_table" in str(failed.value) and secret not in str(failed.value)
    finally:
        engine.dispose()
