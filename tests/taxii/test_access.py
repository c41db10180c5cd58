"""Who reads the feed: exactly the bulletins list's readers, drafts aside; Bearer and HTTP
Basic; TAXII media types, errors and `next` tokens bound to the caller and the filters."""

import base64

from tests.support.audit import records
from tests.support.bulletins import API, create, publish
from tests.support.taxii import MANIFEST, OBJECTS, ROOT, TAXII, every_object, taxii


def _basic(client_id: str, secret: str) -> dict[str, str]:
    token = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def _world(client, factory, auth):
    """Agency O publishes one bulletin at each TLP (and keeps a draft); B is another agency."""
    owner = factory.agency()
    editor = factory.user(owner, roles=["editor"])
    h = auth(editor)
    published = {}
    for tlp in ("CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"):
        indicators = [{"type": "domain", "value": f"{tlp.lower().replace('+', '-')}.example"}]
        b = create(client, h, title=f"Bulletin {tlp}", tlp=tlp, indicators=indicators)
        published[tlp] = publish(client, h, b)
    create(client, h, title="Draft bulletin", tlp="CLEAR")
    return owner, editor, published


def _titles(objects):
    return {o["name"] for o in objects if o["type"] == "report"}


def _patterns(objects):
    return {o["pattern"] for o in objects if o["type"] == "indicator"}


def _rest_titles(client, headers):
    r = client.get(API, params={"limit": 200}, headers=headers)
    assert r.status_code == 200, r.text
    return {b["title"] for b in r.json()["items"] if b["status"] != "draft"}


def test_each_reader_sees_what_the_bulletins_list_shows_it(client, factory, auth):
    owner, editor, _ = _world(client, factory, auth)
    other = factory.agency()
    readers = {
        "author": auth(editor),
        "colleague": auth(factory.user(owner)),
        "foreign member": auth(factory.user(other)),
        "foreign partner system (Bearer)": auth(factory.service_account(other)),
        "own partner system (Bearer)": auth(factory.service_account(owner)),
    }
    for who, h in readers.items():
        objects = every_object(client, h)
        assert _titles(objects) == _rest_titles(client, h), who
    foreign = every_object(client, readers["foreign member"])
    assert _titles(foreign) == {"Bulletin CLEAR", "Bulletin GREEN", "Bulletin AMBER"}
    assert _patterns(foreign) == {
        "[domain-name:value = 'clear.example']",
        "[domain-name:value = 'green.example']",
        "[domain-name:value = 'amber.example']",
    }
    assert "Bulletin RED" in _titles(every_object(client, readers["author"]))
    assert "Bulletin RED" not in _titles(every_object(client, readers["colleague"]))


def test_a_partner_system_reads_with_its_client_id_and_secret(client, factory, auth, db):
    owner, _, published = _world(client, factory, auth)
    sa = factory.service_account(owner)
    basic = _basic(sa.client_id, factory.secrets[sa.id])
    objects = every_object(client, basic)
    assert _titles(objects) == _titles(every_object(client, auth(sa)))
    assert "Bulletin AMBER+STRICT" in _titles(objects) and "Bulletin RED" not in _titles(objects)
    strict = published["AMBER+STRICT"]["id"]
    assert records(db, action="bulletin.read", resource_id=strict, actor_id=str(sa.id))


def test_hidden_objects_are_not_found(client, factory, auth):
    _, editor, _ = _world(client, factory, auth)
    mine = {o["name"]: o for o in every_object(client, auth(editor)) if o["type"] == "report"}
    stranger = taxii(auth(factory.user()))
    for title in ("Bulletin AMBER+STRICT", "Bulletin RED"):
        r = client.get(f"{OBJECTS}{mine[title]['id']}/", headers=stranger)
        assert r.status_code == 404 and r.json()["http_status"] == "404"
        r = client.get(f"{OBJECTS}{mine[title]['id']}/versions/", headers=stranger)
        assert r.status_code == 404
    r = client.get(f"{OBJECTS}{mine['Bulletin GREEN']['id']}/", headers=stranger)
    assert r.status_code == 200


def test_classified_reads_are_audited(client, factory, auth, db):
    _, _, published = _world(client, factory, auth)
    reader = factory.user()
    every_object(client, auth(reader))
    mine = {"action": "bulletin.read", "actor_id": str(reader.id)}
    assert len(records(db, resource_id=published["AMBER"]["id"], **mine)) == 1
    assert not records(db, resource_id=published["GREEN"]["id"], **mine)


def test_no_or_bad_credentials_are_401_with_a_challenge(client, factory, db):
    sa = factory.service_account()
    for headers in ({}, _basic(sa.client_id, "wrong"), {"Authorization": "Bearer nope"}):
        r = client.get(f"{ROOT}collections/", headers={**headers, "Accept": TAXII})
        assert r.status_code == 401, r.text
        assert r.headers["WWW-Authenticate"]
        assert r.headers["content-type"] == TAXII
        assert r.json()["http_status"] == "401"
    assert "Basic" in client.get("/taxii2/", headers={"Accept": TAXII}).headers["WWW-Authenticate"]
    (failed,) = records(db, action="auth.client_failed", resource_id=str(sa.id))
    assert failed.outcome == "failure"


def test_an_address_that_keeps_failing_is_held_off(client, factory, settings):
    sa = factory.service_account()
    wrong = {**_basic(sa.client_id, "wrong"), "Accept": TAXII}
    statuses = [
        client.get("/taxii2/", headers=wrong).status_code
        for _ in range(settings.client_failures_per_window + 1)
    ]
    assert statuses[:-1] == [401] * settings.client_failures_per_window
    r = client.get("/taxii2/", headers={**_basic(sa.client_id, factory.secrets[sa.id])})
    assert r.status_code == 429 and r.headers["Retry-After"]


def test_a_partner_system_without_bulletins_read_is_403(client, factory, auth):
    sa = factory.service_account(scopes=["meetings:read"])
    r = client.get("/taxii2/", headers={**_basic(sa.client_id, factory.secrets[sa.id])})
    assert r.status_code == 403 and r.json()["http_status"] == "403"


def test_media_types(client, factory, auth):
    h = auth(factory.user())
    for accept in ("application/json", "application/taxii+json;version=2.0", "text/html"):
        r = client.get("/taxii2/", headers={**h, "Accept": accept})
        assert r.status_code == 406, accept
        assert r.headers["content-type"] == TAXII
        assert set(r.json()) >= {"title", "description", "error_id", "http_status"}
    for accept in ("application/taxii+json", TAXII, "application/taxii+json; version=2.1"):
        r = client.get("/taxii2/", headers={**h, "Accept": accept})
        assert r.status_code == 200, accept
        assert r.headers["content-type"] == TAXII


def test_next_is_bound_to_the_caller_and_the_filters(client, factory, auth):
    _, editor, _ = _world(client, factory, auth)
    h = taxii(auth(editor))
    page = client.get(OBJECTS, params={"limit": 2}, headers=h).json()
    assert page["more"] is True and page["next"]
    token = page["next"]
    ok = client.get(OBJECTS, params={"limit": 2, "next": token}, headers=h)
    assert ok.status_code == 200
    for params in ({"match[type]": "report"}, {"added_after": "2020-01-01T00:00:00Z"}):
        r = client.get(OBJECTS, params={"next": token, **params}, headers=h)
        assert r.status_code == 400, params
        assert r.json()["http_status"] == "400"
    r = client.get(MANIFEST, params={"next": token}, headers=h)
    assert r.status_code == 400
    stranger = taxii(auth(factory.user()))
    assert client.get(OBJECTS, params={"next": token}, headers=stranger).status_code == 400
    assert client.get(OBJECTS, params={"next": "garbage"}, headers=h).status_code == 400


def test_added_after_is_exclusive_and_limits_hold(client, factory, auth):
    _, editor, _ = _world(client, factory, auth)
    h = taxii(auth(editor))
    r = client.get(OBJECTS, params={"limit": 3}, headers=h)
    first = r.json()["objects"]
    last_added = r.headers["X-TAXII-Date-Added-Last"]
    rest = client.get(OBJECTS, params={"added_after": last_added}, headers=h).json()["objects"]
    everything = every_object(client, auth(editor))
    assert [o["id"] for o in first + rest] == [o["id"] for o in everything]
    assert client.get(OBJECTS, params={"limit": 0}, headers=h).status_code == 400
    big = client.get(OBJECTS, params={"limit": 5000}, headers=h)
    assert big.status_code == 200 and big.json()["more"] is False
    for bad in ({"added_after": "yesterday"}, {"match[version]": "newest"}, {"match[type]": "A"}):
        r = client.get(OBJECTS, params=bad, headers=h)
        assert r.status_code == 400 and r.json()["http_status"] == "400", bad
    r = client.get(OBJECTS, params={"match[spec_version]": "2.0"}, headers=h)
    assert r.json() == {"more": False}
    r = client.get(OBJECTS, params={"colour": "red"}, headers=h)
    assert r.status_code == 400 and "colour" in r.json()["description"]


def test_a_newly_named_agency_gets_the_bulletin_in_its_next_sync(client, factory, auth):
    owner = factory.agency()
    editor = factory.user(owner, roles=["editor"])
    h = auth(editor)
    first, later = factory.agency(), factory.agency()
    b = publish(client, h, create(client, h, tlp="AMBER", recipient_agencies=[str(first.id)]))
    reader = taxii(auth(factory.user(later)))
    r = client.get(OBJECTS, headers=reader)
    assert "Ransomware" not in r.text
    mark = r.headers["X-TAXII-Date-Added-Last"]
    r = client.patch(
        f"{API}/{b['id']}",
        json={"recipient_agencies": [str(first.id), str(later.id)]},
        headers={**h, "If-Match": f'"{b["version"]}"'},
    )
    assert r.status_code == 200, r.text
    new = client.get(OBJECTS, params={"added_after": mark}, headers=reader).json()["objects"]
    assert {o["type"] for o in new} == {"report", "indicator"}
    assert len([o for o in new if o["type"] == "indicator"]) == 3
