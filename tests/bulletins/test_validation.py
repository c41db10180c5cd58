"""Every bad input is a 422 whose problem body names the field, and nothing is stored."""

import uuid

import pytest
from sqlalchemy import func, select

from oversight.bulletins.models import Bulletin
from tests.support.bulletins import API, create, payload


def _indicator(kind, value):
    return {"indicators": [{"type": kind, "value": value}]}


BAD = [
    (_indicator("ipv4", "999.1.1.1"), ["indicators", 0, "value"]),
    (_indicator("ipv4", "2001:db8::1"), ["indicators", 0, "value"]),
    (_indicator("ipv6", "2001:db8:::1"), ["indicators", 0, "value"]),
    (_indicator("domain", "exa mple.com"), ["indicators", 0, "value"]),
    (_indicator("domain", "-bad-.example"), ["indicators", 0, "value"]),
    (_indicator("domain", "localhost"), ["indicators", 0, "value"]),
    (_indicator("url", "ftp://files.example.com/x"), ["indicators", 0, "value"]),
    (_indicator("url", "javascript:alert(1)"), ["indicators", 0, "value"]),
    (_indicator("url", "http://"), ["indicators", 0, "value"]),
    (_indicator("email", "not-an-address"), ["indicators", 0, "value"]),
    (_indicator("md5", "a" * 31), ["indicators", 0, "value"]),
    (_indicator("sha1", "z" * 40), ["indicators", 0, "value"]),
    (_indicator("sha256", "a" * 63), ["indicators", 0, "value"]),
    (_indicator("cve", "CVE-23-1234"), ["indicators", 0, "value"]),
    (_indicator("cve", "CVE-2023-123"), ["indicators", 0, "value"]),
    (_indicator("filename", "../../etc/passwd"), ["indicators", 0, "value"]),
    (_indicator("filename", "a\x00b.exe"), ["indicators", 0, "value"]),
    (_indicator("hash", "abc"), ["indicators", 0, "type"]),
    ({"tlp": "PURPLE"}, ["tlp"]),
    ({"protective_marking": "SECRET"}, ["protective_marking"]),
    ({"protective_marking": "TOP SECRET"}, ["protective_marking"]),
    ({"category": "weather"}, ["category"]),
    ({"severity": "apocalyptic"}, ["severity"]),
    ({"sectors": ["pets"]}, ["sectors", 0]),
    ({"title": "  "}, ["title"]),
    ({"references": ["file:///etc/passwd"]}, ["references"]),
    ({"review_by": "tomorrow"}, ["review_by"]),
    ({"status": "published"}, ["status"]),
    ({"recipient_agencies": [str(uuid.uuid4())], "tlp": "AMBER"}, ["recipient_agencies"]),
    ({"recipient_users": [str(uuid.uuid4())], "tlp": "RED"}, ["recipient_users"]),
    ({"recipient_users": [], "recipient_agencies": ["nope"]}, ["recipient_agencies", 0]),
    ({"recipient_agencies_extra": []}, ["recipient_agencies_extra"]),
]


def _count(db):
    return db.scalar(select(func.count()).select_from(Bulletin))


@pytest.mark.parametrize(("change", "loc"), BAD)
def test_bad_input_is_refused_naming_the_field(client, factory, auth, db, change, loc):
    h = auth(factory.user(roles=["editor"]))
    before = _count(db)
    r = client.post(API, json=payload(**change), headers=h)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert ["body", *loc] in [e["loc"] for e in r.json()["errors"]]
    assert ".".join(str(p) for p in ["body", *loc]) in r.json()["detail"]
    assert _count(db) == before


def test_secret_marking_says_why(client, factory, auth):
    h = auth(factory.user(roles=["editor"]))
    r = client.post(API, json=payload(protective_marking="SECRET"), headers=h)
    assert "not accredited above OFFICIAL-SENSITIVE" in r.json()["detail"]


def test_recipients_only_where_they_apply(client, factory, auth, db):
    h = auth(factory.user(roles=["editor"]))
    someone = factory.user()
    for body in (
        payload(tlp="GREEN", recipient_users=[str(someone.id)]),
        payload(tlp="RED", recipient_agencies=[str(someone.agency_id)]),
    ):
        r = client.post(API, json=body, headers=h)
        assert r.status_code == 422, r.text
        assert r.json()["errors"][0]["loc"][0] == "body"
    assert _count(db) == 0


def test_a_service_account_may_not_write_red(client, factory, auth, db):
    sa = factory.service_account(scopes=["bulletins:read", "bulletins:write"])
    r = client.post(API, json=payload(tlp="RED"), headers=auth(sa))
    assert r.status_code == 422
    assert r.json()["errors"][0]["loc"] == ["body", "tlp"]
    b = create(client, auth(sa), tlp="GREEN")
    r = client.patch(
        f"{API}/{b['id']}", json={"tlp": "RED"}, headers={**auth(sa), "If-Match": '"1"'}
    )
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["body", "tlp"]
    assert client.get(f"{API}/{b['id']}", headers=auth(sa)).json()["tlp"] == "GREEN"


@pytest.mark.parametrize(
    ("change", "loc"),
    [
        ({"title": None}, ["title"]),
        ({"indicators": [{"type": "ipv4", "value": "1.2.3.400"}]}, ["indicators", 0, "value"]),
        ({"recipient_agencies": [str(uuid.uuid4())], "tlp": "AMBER"}, ["recipient_agencies"]),
        ({"protective_marking": "SECRET"}, ["protective_marking"]),
        ({"agency_id": str(uuid.uuid4())}, ["agency_id"]),
    ],
)
def test_bad_edits_change_nothing(client, factory, auth, change, loc):
    h = auth(factory.user(roles=["editor"]))
    b = create(client, h)
    r = client.patch(f"{API}/{b['id']}", json=change, headers={**h, "If-Match": '"1"'})
    assert r.status_code == 422, r.text
    assert ["body", *loc] in [e["loc"] for e in r.json()["errors"]]
    assert client.get(f"{API}/{b['id']}", headers=h).json() == b


@pytest.mark.parametrize(
    "params",
    [
        {"tlp": "BLUE"},
        {"status": "deleted"},
        {"agency_id": "not a slug"},
        {"updated_after": "2026-01-01T00:00:00"},
        {"limit": 0},
        {"q": ""},
    ],
)
def test_bad_list_queries_are_400(client, factory, auth, params):
    r = client.get(API, params=params, headers=auth(factory.user()))
    assert r.status_code == 400, r.text
    assert r.json()["errors"][0]["loc"][0] == "query"


def test_a_garbled_cursor_is_400(client, factory, auth):
    r = client.get(API, params={"cursor": "garbage.x"}, headers=auth(factory.user()))
    assert r.status_code == 400


GOOD = [
    ("ipv4", "198.51.100.0/24", "198.51.100.0/24"),
    ("ipv6", "2001:DB8::1", "2001:db8::1"),
    ("domain", "XN--BCHER-KVA.example", "xn--bcher-kva.example"),
    ("url", "https://login.microsoftonline.example/common/oauth2", None),
    ("email", "payroll@invoice-portal.example", None),
    ("md5", "D41D8CD98F00B204E9800998ECF8427E", "d41d8cd98f00b204e9800998ecf8427e"),
    ("cve", "CVE-2024-21413", None),
    ("filename", "Invoice_0423.pdf.exe", None),
]


@pytest.mark.parametrize(("kind", "value", "normal"), GOOD)
def test_good_indicators_are_kept_normalised(client, factory, auth, kind, value, normal):
    b = create(client, auth(factory.user(roles=["editor"])), **_indicator(kind, value))
    assert b["indicators"][0]["value"] == (normal or value)
