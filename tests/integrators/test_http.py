"""Contract §12's HTTP semantics: strict query strings, agency slugs, HEAD, Allow, the
addresses a person types, problem types that resolve."""

import pytest

from tests.support.bulletins import API as BULLETINS
from tests.support.bulletins import create


def test_an_unknown_query_parameter_is_400_naming_it(client, factory, auth):
    h = auth(factory.user())
    r = client.get(BULLETINS, params={"categroy": "ransomware"}, headers=h)
    assert r.status_code == 400 and "categroy" in r.json()["detail"]
    r = client.get("/api/v1/actions", params={"rag": "red"}, headers=h)
    assert r.status_code == 400 and "rag" in r.json()["detail"]


@pytest.mark.parametrize("value", ["0.5", "1700000000", "2026-01-01", "yesterday"])
def test_timestamps_are_rfc3339_only(client, factory, auth, value):
    r = client.get(BULLETINS, params={"updated_after": value}, headers=auth(factory.user()))
    assert r.status_code == 400, r.text
    assert r.json()["errors"][0]["loc"] == ["query", "updated_after"]


def test_agency_filters_take_a_slug_or_an_id(client, factory, auth):
    agency = factory.agency(slug="north-rocu")
    editor = factory.user(agency, roles=["editor"])
    b = create(client, auth(editor), tlp="GREEN")
    admin = factory.user(agency, roles=["admin", "auditor"])
    for ref in ("north-rocu", str(agency.id)):
        got = client.get(BULLETINS, params={"agency_id": ref}, headers=auth(editor)).json()
        assert [i["id"] for i in got["items"]] == [b["id"]]
        users = client.get("/api/v1/users", params={"agency_id": ref}, headers=auth(admin))
        assert {u["id"] for u in users.json()["items"]} == {str(editor.id), str(admin.id)}
    none = client.get(BULLETINS, params={"agency_id": "no-such-agency"}, headers=auth(editor))
    assert none.status_code == 200 and none.json()["items"] == []
    bad = client.get(BULLETINS, params={"agency_id": "Not A Slug!"}, headers=auth(editor))
    assert bad.status_code == 400


def test_every_get_answers_head(client, factory, auth):
    r = client.head("/healthz")
    assert r.status_code == 200 and r.content == b""
    h = auth(factory.user())
    full = client.get(BULLETINS, headers=h)
    head = client.head(BULLETINS, headers=h)
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-type"] == full.headers["content-type"]


def test_405_lists_every_allowed_method(client, factory, auth):
    r = client.delete(BULLETINS, headers=auth(factory.user()))
    assert r.status_code == 405
    assert set(r.headers["allow"].replace(" ", "").split(",")) == {"GET", "HEAD", "POST", "OPTIONS"}


def test_the_addresses_a_person_types(client):
    home = client.get("/", follow_redirects=False)
    assert home.status_code == 307 and home.headers["location"] == "/docs"
    index = client.get("/api/v1")
    assert index.status_code == 200
    assert index.json()["collections"]["bulletins"] == "/api/v1/bulletins"


def test_every_problem_type_resolves_to_a_page(client, factory, auth):
    r = client.get(
        f"{BULLETINS}/00000000-0000-4000-8000-000000000000", headers=auth(factory.user())
    )
    page = client.get(r.json()["type"])
    assert page.status_code == 200 and "Not Found" in page.text
    assert client.get("/problems/no-such-problem").status_code == 404
