"""A real TAXII client (`taxii2-client`, TAXII 2.1) against a live `oversight serve` loaded
with the demo set: discovery, collections, every object page by page, `added_after`; as a
member, as the demo partner system by HTTP Basic and by Bearer, and as an agency that must
not see another's AMBER+STRICT or RED bulletins (nor their indicators)."""

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import requests
from taxii2client.v21 import Collection, Server, as_pages

from oversight.taxii.service import COLLECTION_ID
from tests.support.bulletins import payload
from tests.support.databases import Databases
from tests.support.live import LiveServer, run_oversight, server_env, serving

POLICE_EDITOR = "editor@police.example"
EASTVALE_MEMBER = "member@eastvale.example"
CONFIDENTIAL = {"AMBER+STRICT", "RED"}
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "taxii_pull.py"


class Bearer(requests.auth.AuthBase):
    def __init__(self, token: str) -> None:
        self.token = token

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        r.headers["Authorization"] = f"Bearer {self.token}"
        return r


@pytest.fixture(scope="module")
def live(
    databases: Databases, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[LiveServer, dict[str, Any]]]:
    home = tmp_path_factory.mktemp("taxii-live")
    env = server_env(databases, home)
    demo = json.loads(run_oversight(env, home, "demo", "--json"))
    with serving(env, home) as server:
        yield server, demo


def _password(demo: dict[str, Any], email: str) -> str:
    return next(x["password"] for x in demo["logins"] if x["email"] == email)


def _token(server: LiveServer, **form: str) -> str:
    r = httpx.post(f"{server.base_url}/api/v1/auth/token", data=form, timeout=30)
    assert r.status_code == 200, r.text
    return r.json()["access_token"]


def _member(server: LiveServer, demo: dict[str, Any], email: str) -> str:
    return _token(server, grant_type="password", username=email, password=_password(demo, email))


def _client_token(server: LiveServer, demo: dict[str, Any]) -> str:
    sa = demo["service_account"]
    return _token(
        server,
        grant_type="client_credentials",
        client_id=sa["client_id"],
        client_secret=sa["client_secret"],
    )


def _pull(server: LiveServer, **auth: Any) -> tuple[Collection, list[dict[str, Any]]]:
    """Discovery, the API root, its one collection, then every object by `as_pages`."""
    taxii = Server(f"{server.base_url}/taxii2/", **auth)
    assert taxii.title == "Oversight TAXII 2.1"
    (root,) = taxii.api_roots
    assert root.url == taxii.default.url
    (collection,) = root.collections
    assert collection.id == COLLECTION_ID and collection.title == "Threat bulletins"
    assert collection.can_read and not collection.can_write
    objects = [
        o
        for page in as_pages(collection.get_objects, per_request=9)
        for o in page.get("objects", [])
    ]
    return collection, objects


def _rest_titles(server: LiveServer, token: str) -> set[str]:
    r = httpx.get(
        f"{server.base_url}/api/v1/bulletins",
        params={"limit": 200},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert r.status_code == 200, r.text
    return {b["title"] for b in r.json()["items"] if b["status"] != "draft"}


def _reports(objects: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {o["name"]: o for o in objects if o["type"] == "report"}


def _confidential(demo: dict[str, Any]) -> set[str]:
    return {b["title"] for b in demo["bulletins"] if b["tlp"] in CONFIDENTIAL}


def test_a_member_pulls_what_the_bulletins_list_shows_it(live):
    server, demo = live
    token = _member(server, demo, EASTVALE_MEMBER)
    _, objects = _pull(server, auth=Bearer(token))
    assert len({(o["id"], o.get("modified")) for o in objects}) == len(objects)
    assert set(_reports(objects)) == _rest_titles(server, token)
    assert not set(_reports(objects)) & _confidential(demo)


def test_the_partner_system_by_basic_and_by_bearer(live):
    server, demo = live
    sa = demo["service_account"]
    _, by_basic = _pull(server, user=sa["client_id"], password=sa["client_secret"])
    token = _client_token(server, demo)
    _, by_bearer = _pull(server, auth=Bearer(token))
    assert by_basic == by_bearer
    assert set(_reports(by_basic)) == _rest_titles(server, token)


def test_another_agency_sees_no_foreign_amber_strict_or_red_nor_their_indicators(live):
    server, demo = live
    _, authors_view = _pull(server, auth=Bearer(_member(server, demo, POLICE_EDITOR)))
    secret = [r for name, r in _reports(authors_view).items() if name in _confidential(demo)]
    assert len(secret) == len(_confidential(demo)) >= 3  # the author reads them all
    indicators = {ref for r in secret for ref in r["object_refs"] if ref.startswith("indicator")}
    assert indicators
    hidden = {r["id"] for r in secret} | indicators
    sa = demo["service_account"]
    _, partners = _pull(server, user=sa["client_id"], password=sa["client_secret"])
    _, members = _pull(server, auth=Bearer(_member(server, demo, EASTVALE_MEMBER)))
    for view in (partners, members):
        assert not hidden & {o["id"] for o in view}
        assert not set(_reports(view)) & _confidential(demo)


def test_added_after_gets_exactly_what_came_after(live):
    server, demo = live
    token = _member(server, demo, EASTVALE_MEMBER)
    collection, objects = _pull(server, auth=Bearer(token))
    manifest = collection.get_manifest()["objects"]
    assert [m["id"] for m in manifest] == [o["id"] for o in objects]
    middle = manifest[len(manifest) // 2]["date_added"]
    later = collection.get_objects(added_after=middle).get("objects", [])
    assert [o["id"] for o in later] == [m["id"] for m in manifest[len(manifest) // 2 + 1 :]]


def _example(server: LiveServer, demo: dict[str, Any], *args: str) -> tuple[dict, dict]:
    sa = demo["service_account"]
    env = {
        **os.environ,
        "OVERSIGHT_CLIENT_ID": sa["client_id"],
        "OVERSIGHT_CLIENT_SECRET": sa["client_secret"],
    }
    done = subprocess.run(
        [sys.executable, str(EXAMPLE), "--base-url", server.base_url, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout), json.loads(done.stderr.strip().splitlines()[-1])


def test_the_worked_example_pulls_everything_then_only_what_is_new(live, tmp_path):
    """Runs last in this module: it publishes a bulletin."""
    server, demo = live
    sa = demo["service_account"]
    _, expected = _pull(server, user=sa["client_id"], password=sa["client_secret"])
    state = str(tmp_path / "state.json")
    bundle, summary = _example(server, demo, "--state", state, "--per-request", "7")
    assert bundle["type"] == "bundle" and bundle["objects"] == expected
    assert summary["objects"] == len(expected) and summary["added_after"]
    again, summary = _example(server, demo, "--state", state)
    assert again["objects"] == [] and summary["objects"] == 0
    crc_editor = "editor@crc.example"
    h = {"Authorization": f"Bearer {_member(server, demo, crc_editor)}"}
    body = {**payload(title="Courier scam texts to pensioners"), "tlp": "GREEN"}
    draft = httpx.post(f"{server.base_url}/api/v1/bulletins", json=body, headers=h, timeout=30)
    assert draft.status_code == 201, draft.text
    b = draft.json()
    r = httpx.post(
        f"{server.base_url}/api/v1/bulletins/{b['id']}/publish",
        headers={**h, "If-Match": f'"{b["version"]}"'},
        timeout=30,
    )
    assert r.status_code == 200, r.text
    new, summary = _example(server, demo, "--state", state)
    assert summary["by_type"] == {"indicator": 3, "report": 1}
    assert [o["name"] for o in new["objects"] if o["type"] == "report"] == [body["title"]]
