"""The collection as STIX: a bulletin's versions at publication, edit and withdrawal, the
filters and the envelope of the TAXII 2.1 objects endpoints."""

import uuid

import stix2

from tests.support.bulletins import API, create, publish
from tests.support.taxii import (
    COLLECTION,
    MANIFEST,
    OBJECTS,
    ROOT,
    TAXII,
    every_object,
    taxii,
)

TLP2_CLEAR = "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487"
TLP2_GREEN = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"


def _edit(client, h, bulletin, **fields):
    r = client.patch(
        f"{API}/{bulletin['id']}",
        json=fields,
        headers={**h, "If-Match": f'"{bulletin["version"]}"'},
    )
    assert r.status_code == 200, r.text
    return r.json()


def _withdraw(client, h, bulletin):
    r = client.post(
        f"{API}/{bulletin['id']}/withdraw",
        json={"reason": "Superseded"},
        headers={**h, "If-Match": f'"{bulletin["version"]}"'},
    )
    assert r.status_code == 200, r.text
    return r.json()


def _by_type(objects):
    out: dict[str, list[dict]] = {}
    for o in objects:
        out.setdefault(o["type"], []).append(o)
    return out


def test_a_published_bulletin_is_a_report_with_its_indicators(client, factory, auth):
    editor = factory.user(roles=["editor"])
    h = auth(editor)
    indicators = [
        {"type": "ipv4", "value": "203.0.113.7", "description": "C2 server"},
        {"type": "url", "value": "https://invoice-portal.example/it's"},
        {"type": "cve", "value": "CVE-2024-3400"},
    ]
    b = publish(client, h, create(client, h, indicators=indicators, tlp="GREEN"))
    by_type = _by_type(every_object(client, h))
    (report,) = by_type["report"]
    assert report["name"] == b["title"]
    assert report["labels"] == ["ransomware", "high"]
    assert report["object_marking_refs"] == [TLP2_GREEN]
    assert report["external_references"] == [
        {"source_name": "reference", "description": "https://www.ncsc.gov.uk/ransomware"}
    ]
    patterns = sorted(i["pattern"] for i in by_type["indicator"])
    assert patterns == [
        "[ipv4-addr:value = '203.0.113.7']",
        "[url:value = 'https://invoice-portal.example/it\\'s']",
    ]
    (vuln,) = by_type["vulnerability"]
    assert vuln["external_references"] == [{"source_name": "cve", "external_id": "CVE-2024-3400"}]
    refs = {o["id"] for o in by_type["indicator"] + by_type["vulnerability"]}
    assert set(report["object_refs"]) == refs
    identities = {i["id"]: i for i in by_type["identity"]}
    assert identities[report["created_by_ref"]]["identity_class"] == "organization"
    markings = {m["id"] for m in by_type["marking-definition"]}
    assert {TLP2_CLEAR, TLP2_GREEN} <= markings
    for obj in every_object(client, h):
        stix2.parse(obj, allow_custom=False, version="2.1")


def test_an_edit_is_a_new_version_and_a_withdrawal_revokes(client, factory, auth):
    editor = factory.user(roles=["editor"])
    h = auth(editor)
    b = publish(client, h, create(client, h))
    first = {o["id"]: o for o in every_object(client, h, **{"match[type]": "report"})}
    (report_id,) = first
    b = _edit(client, h, b, title="Ransomware campaign: new wave")
    r = client.get(f"{OBJECTS}{report_id}/versions/", headers=taxii(h))
    assert r.status_code == 200, r.text
    versions = r.json()["versions"]
    assert len(versions) == 2 and versions[0] < versions[1]
    last = client.get(f"{OBJECTS}{report_id}/", headers=taxii(h)).json()["objects"]
    assert [o["name"] for o in last] == ["Ransomware campaign: new wave"]
    assert last[0]["created"] == first[report_id]["created"]
    every = client.get(
        f"{OBJECTS}{report_id}/", params={"match[version]": "all"}, headers=taxii(h)
    ).json()["objects"]
    assert [o["modified"] for o in every] == versions
    firsts = client.get(
        f"{OBJECTS}{report_id}/", params={"match[version]": "first"}, headers=taxii(h)
    ).json()["objects"]
    assert firsts[0]["name"] == first[report_id]["name"]
    at = client.get(
        f"{OBJECTS}{report_id}/", params={"match[version]": versions[0]}, headers=taxii(h)
    ).json()["objects"]
    assert [o["modified"] for o in at] == [versions[0]]
    _withdraw(client, h, b)
    objects = [o for o in every_object(client, h) if o["type"] in {"report", "indicator"}]
    assert objects and all(o.get("revoked") is True for o in objects)


def test_an_edit_that_drops_an_indicator_revokes_it(client, factory, auth):
    editor = factory.user(roles=["editor"])
    h = auth(editor)
    b = publish(client, h, create(client, h))
    before = _by_type(every_object(client, h))["indicator"]
    kept = [{"type": "ipv4", "value": "203.0.113.7", "description": "C2 server"}]
    _edit(client, h, b, indicators=kept)
    after = {o["id"]: o for o in _by_type(every_object(client, h))["indicator"]}
    assert set(after) == {o["id"] for o in before}
    live = [o for o in after.values() if not o.get("revoked")]
    assert [o["pattern"] for o in live] == ["[ipv4-addr:value = '203.0.113.7']"]
    (report,) = _by_type(every_object(client, h))["report"]
    assert report["object_refs"] == [live[0]["id"]]


def test_discovery_root_and_collection(client, factory, auth):
    h = taxii(auth(factory.user()))
    r = client.get("/taxii2/", headers=h)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == TAXII
    assert r.json()["api_roots"] == [ROOT] and r.json()["default"] == ROOT
    root = client.get(ROOT, headers=h).json()
    assert root["versions"] == [TAXII] and root["max_content_length"] > 0
    (c,) = client.get(f"{ROOT}collections/", headers=h).json()["collections"]
    assert c == client.get(COLLECTION, headers=h).json()
    assert c["title"] == "Threat bulletins" and c["can_read"] and not c["can_write"]
    assert c["media_types"] == ["application/stix+json;version=2.1"]


def test_manifest_lists_each_version_with_its_date_added(client, factory, auth):
    editor = factory.user(roles=["editor"])
    h = auth(editor)
    publish(client, h, create(client, h))
    r = client.get(MANIFEST, headers=taxii(h))
    assert r.status_code == 200, r.text
    rows = r.json()["objects"]
    objects = every_object(client, h)
    assert [m["id"] for m in rows] == [o["id"] for o in objects]
    assert r.headers["X-TAXII-Date-Added-First"] == rows[0]["date_added"]
    assert r.headers["X-TAXII-Date-Added-Last"] == rows[-1]["date_added"]
    assert all(m["media_type"] == "application/stix+json;version=2.1" for m in rows)


def test_an_unknown_object_or_collection_is_a_taxii_404(client, factory, auth):
    h = taxii(auth(factory.user()))
    for url in (f"{OBJECTS}report--{uuid.uuid4()}/", f"{ROOT}collections/{uuid.uuid4()}/"):
        r = client.get(url, headers=h)
        assert r.status_code == 404
        assert r.headers["content-type"] == TAXII
        assert set(r.json()) >= {"title", "description", "error_id", "http_status"}
        assert r.json()["http_status"] == "404"
