"""examples/partner_sync.py, run as a process against a live `oversight serve`, as a partner
system runs it: incremental sync, idempotent publish, and retries through a misbehaving proxy."""

import json
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from tests.support.bulletins import payload
from tests.support.examples import EXAMPLES, AdminServer
from tests.support.live import LOCAL_HOST

SCRIPT = EXAMPLES / "partner_sync.py"
EDITOR = ("editor@westmarch.example.org", "westmarch editor passphrase")


@dataclass
class World:
    server: AdminServer
    editor: dict[str, str]  # bearer headers
    partner: dict[str, str]  # client_id, client_secret
    green: list[str]
    hidden: list[str]  # AMBER+STRICT of another agency, and a draft

    def api(self, method: str, path: str, expect: int = 200, **kw: Any) -> httpx.Response:
        r = httpx.request(method, f"{self.server.base_url}/api/v1{path}", timeout=30, **kw)
        assert r.status_code == expect, r.text
        return r

    def publish(self, **overrides: Any) -> dict[str, Any]:
        draft = self.api("POST", "/bulletins", 201, json=payload(**overrides), headers=self.editor)
        r = self.api(
            "POST",
            f"/bulletins/{draft.json()['id']}/publish",
            headers={**self.editor, "If-Match": draft.headers["ETag"]},
        )
        return r.json()

    def visible_to_partner(self) -> set[str]:
        """The oracle: every bulletin the partner's token lists, page by page."""
        grant = {"grant_type": "client_credentials", **self.partner}
        token = self.api("POST", "/auth/token", data=grant).json()["access_token"]
        ids, cursor = set(), None
        while True:
            params = {"limit": 200} | ({"cursor": cursor} if cursor else {})
            body = self.api(
                "GET", "/bulletins", params=params, headers={"Authorization": f"Bearer {token}"}
            ).json()
            ids |= {b["id"] for b in body["items"]}
            if not (cursor := body["next_cursor"]):
                return ids


@pytest.fixture(scope="module")
def world(admin_server: AdminServer) -> World:
    admin_server.oversight("agencies", "create", "--name", "Westmarch Police", "--sector", "police")
    admin_server.oversight(
        "agencies", "create", "--name", "Harbour Business Alliance", "--sector", "business"
    )
    admin_server.oversight(
        "users", "create", "--email", EDITOR[0], "--agency", "westmarch-police", "--role",
        "editor", "--password-stdin", stdin=EDITOR[1] + "\n",
    )  # fmt: skip
    account = admin_server.oversight(
        "service-accounts", "create", "--name", "Harbour threat feed", "--agency",
        "harbour-business-alliance", "--scope", "bulletins:read", "--scope", "bulletins:write",
    )  # fmt: skip
    w = World(
        server=admin_server,
        editor=admin_server.token(*EDITOR),
        partner={k: account[k] for k in ("client_id", "client_secret")},
        green=[],
        hidden=[],
    )
    w.green = [w.publish(title=f"Phishing wave {n} against payroll staff")["id"] for n in range(3)]
    w.hidden.append(w.publish(title="Insider case, police only", tlp="AMBER+STRICT")["id"])
    draft = w.api("POST", "/bulletins", 201, json=payload(title="Unfinished"), headers=w.editor)
    w.hidden.append(draft.json()["id"])
    return w


def run_sync(world: World, *args: str, base_url: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--base-url", base_url or world.server.base_url, *args],
        env={
            **world.server.env,
            "OVERSIGHT_CLIENT_ID": world.partner["client_id"],
            "OVERSIGHT_CLIENT_SECRET": world.partner["client_secret"],
        },
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def result(done: subprocess.CompletedProcess) -> dict[str, Any]:
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_sync_fetches_what_is_visible_then_nothing_then_only_what_changed(world, tmp_path):
    state, out = tmp_path / "state.json", tmp_path / "bulletins"
    args = ("--state", str(state), "--out", str(out), "--page-size", "2")

    first = result(run_sync(world, *args))
    fetched = {b["id"] for b in first["changed"]}
    assert fetched == world.visible_to_partner()
    assert set(world.green) <= fetched and not fetched & set(world.hidden)
    assert first["pages"] >= 2  # followed next_cursor
    assert {p.stem for p in out.iterdir()} == fetched
    saved = json.loads(state.read_text())
    assert saved["updated_after"] == max(b["updated_at"] for b in first["changed"])

    second = result(run_sync(world, *args))
    assert second["changed"] == []

    bulletin = world.api("GET", f"/bulletins/{world.green[0]}", headers=world.editor)
    world.api(
        "PATCH",
        f"/bulletins/{world.green[0]}",
        json={"title": "Phishing wave 0: new lure"},
        headers={**world.editor, "If-Match": bulletin.headers["ETag"]},
    )
    new = world.publish(title="Account takeover through SIM swap", category="account_takeover")

    third = result(run_sync(world, *args))
    assert {b["id"] for b in third["changed"]} == {world.green[0], new["id"]}
    copy = json.loads((out / f"{world.green[0]}.json").read_text())
    assert copy["title"] == "Phishing wave 0: new lure"
    assert result(run_sync(world, *args))["changed"] == []


def test_a_retried_publish_creates_exactly_one_bulletin(world, tmp_path):
    draft = tmp_path / "bulletin.json"
    draft.write_text(
        json.dumps(payload(title="Invoice fraud ring targeting harbour firms", category="fraud"))
    )
    first = result(run_sync(world, "--publish", str(draft)))
    assert first["status"] == "published" and first["replayed"] is False
    again = result(run_sync(world, "--publish", str(draft)))
    assert again["id"] == first["id"] and again["replayed"] is True
    assert again["status"] == "published" and again["version"] == first["version"]

    listed = world.api(
        "GET", "/bulletins", params={"q": "invoice fraud ring harbour"}, headers=world.editor
    ).json()["items"]
    assert [b["id"] for b in listed] == [first["id"]]


def test_the_shipped_sample_bulletin_publishes_as_it_is(world):
    shipped = json.loads((EXAMPLES / "bulletin.json").read_text())
    done = result(run_sync(world, "--publish", str(EXAMPLES / "bulletin.json")))
    assert done["status"] == "published" and done["replayed"] is False
    bulletin = world.api("GET", f"/bulletins/{done['id']}", headers=world.editor).json()
    assert bulletin["title"] == shipped["title"] and bulletin["tlp"] == shipped["tlp"]


def test_a_refused_bulletin_prints_each_reason_the_api_gave(world, tmp_path):
    bad = payload(title="Bad severity", severity="apocalyptic", tlp="BLUE")
    draft = tmp_path / "bulletin.json"
    draft.write_text(json.dumps(bad))
    reasons = world.api("POST", "/bulletins", 422, json=bad, headers=world.editor).json()["errors"]
    assert len(reasons) >= 2
    done = run_sync(world, "--publish", str(draft))
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.startswith("error: POST /api/v1/bulletins: 422 ")
    for reason in reasons:
        assert reason["msg"] and reason["msg"] in done.stderr, reason


@dataclass
class Stub:
    """A proxy on 127.0.0.1 that answers some requests with faults, and passes the rest on.

    `faults[(method, path)]` is answered once per listed status, 429/503 with `Retry-After: 1`;
    `always[(method, path)]` is answered every time, with `Retry-After: 0`.
    """

    target: str
    faults: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    always: dict[tuple[str, str], int] = field(default_factory=dict)
    log: list[tuple[float, str, str, int]] = field(default_factory=list)
    url: str = ""

    def _fault(self, key: tuple[str, str]) -> tuple[int, str] | None:
        if key in self.always:
            return self.always[key], "0"
        if self.faults.get(key):
            return self.faults[key].pop(0), "1"
        return None

    def answer(self, handler: BaseHTTPRequestHandler) -> None:
        path = handler.path.split("?")[0]
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else b""
        fault = self._fault((handler.command, path))
        if fault is not None:
            status, retry_after = fault
            self.log.append((time.monotonic(), handler.command, path, status))
            handler.send_response(status)
            if status in (429, 503):
                handler.send_header("Retry-After", retry_after)
            handler.send_header("Content-Type", "application/problem+json")
            handler.send_header("Content-Length", "2")
            handler.end_headers()
            handler.wfile.write(b"{}")
            return
        headers = {k: v for k, v in handler.headers.items() if k.lower() != "host"}
        r = httpx.request(
            handler.command, self.target + handler.path, headers=headers, content=body, timeout=30
        )
        self.log.append((time.monotonic(), handler.command, path, r.status_code))
        handler.send_response(r.status_code)
        for k, v in r.headers.items():
            if k.lower() not in {"content-length", "transfer-encoding", "connection", "date",
                                 "server", "content-encoding"}:  # fmt: skip
                handler.send_header(k, v)
        handler.send_header("Content-Length", str(len(r.content)))
        handler.end_headers()
        handler.wfile.write(r.content)

    def calls(self, method: str, path: str) -> list[tuple[float, int]]:
        return [(at, status) for at, m, p, status in self.log if (m, p) == (method, path)]


@pytest.fixture
def stub(world: World) -> Iterator[Stub]:
    state = Stub(target=world.server.base_url, faults={})

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.answer(self)

        do_POST = do_GET

        def log_message(self, *args: Any) -> None:
            return

    httpd = ThreadingHTTPServer((LOCAL_HOST, 0), Handler)
    state.url = f"http://{LOCAL_HOST}:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield state
    httpd.shutdown()
    httpd.server_close()


TOKEN = ("POST", "/api/v1/auth/token")
LIST = ("GET", "/api/v1/bulletins")


def test_retry_after_is_honoured_and_a_rejected_token_renewed(world, stub, tmp_path):
    stub.faults = {TOKEN: [429], LIST: [503, 401]}
    done = run_sync(world, "--state", str(tmp_path / "s.json"), base_url=stub.url)
    assert {b["id"] for b in result(done)["changed"]} == world.visible_to_partner()

    tokens, pages = stub.calls(*TOKEN), stub.calls(*LIST)
    assert [status for _, status in tokens] == [429, 200, 200]  # the 401 got a new token
    assert [status for _, status in pages][:3] == [503, 401, 200]
    assert tokens[1][0] - tokens[0][0] >= 0.9  # waited the second Retry-After asked for
    assert pages[1][0] - pages[0][0] >= 0.9
    assert pages[1][0] <= tokens[2][0] <= pages[2][0]  # re-authenticated between the tries


def test_retries_are_bounded(world, stub, tmp_path):
    stub.always = {LIST: 503}
    done = run_sync(world, "--state", str(tmp_path / "s.json"), "--max-attempts", "3",
                    base_url=stub.url)  # fmt: skip
    assert done.returncode == 1 and "still 503 after 3 attempts" in done.stderr
    assert len(stub.calls(*LIST)) == 3
    assert not (tmp_path / "s.json").exists()  # a failed run leaves the state as it was
