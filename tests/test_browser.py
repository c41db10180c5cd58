"""A member's path, in a real browser: Debian's Chromium, driven by Playwright, against a live
`oversight serve` on 127.0.0.1 loaded with the demo set. No request may leave 127.0.0.1.

Set OVERSIGHT_UPDATE_SCREENSHOTS=1 to also refresh docs/docs-ui.png, the README's picture.
"""

import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from tests.support.databases import Databases
from tests.support.live import LOCAL_HOST, run_oversight, server_env, serving

try:
    from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
except ImportError:  # reported by the chromium fixture below
    sync_playwright = None

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
README_SCREENSHOT = Path(__file__).resolve().parents[1] / "docs" / "docs-ui.png"
BULLETINS_PATH = "/api/v1/bulletins"
# FIRST, TLP 2.0: each label's colour, on black.
TLP_COLOURS = {
    "CLEAR": "rgb(255, 255, 255)",
    "GREEN": "rgb(51, 255, 0)",
    "AMBER": "rgb(255, 192, 0)",
    "AMBER+STRICT": "rgb(255, 192, 0)",
    "RED": "rgb(255, 43, 43)",
}
BLACK = "rgb(0, 0, 0)"
TIMEOUT_MS = 30_000


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


@dataclass
class Scenario:
    """A demo member, a GREEN bulletin it sees and an AMBER+STRICT one of another agency."""

    email: str
    password: str
    green_title: str
    hidden_title: str


@dataclass
class Traffic:
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def foreign(self) -> list[str]:
        out = []
        for url in self.requests:
            if url.startswith("data:"):
                continue
            inner = url.removeprefix("blob:")
            if urlsplit(inner).hostname != LOCAL_HOST:
                out.append(url)
        return out

    def assert_local_only(self) -> None:
        assert self.requests, "the browser recorded no request at all"
        assert not self.foreign(), f"requests left {LOCAL_HOST}: {self.foreign()}"
        blocked = [m for m in self.console_errors if "Content Security Policy" in m]
        assert not blocked, f"the page tried to load something its CSP blocks: {blocked}"


@pytest.fixture(scope="module")
def chromium() -> Iterator["Browser"]:
    if not CHROMIUM.is_file() or sync_playwright is None:
        why = (
            f"no Chromium at {CHROMIUM} (apt-get install chromium)"
            if not CHROMIUM.is_file()
            else "the playwright package is missing (`make test` installs it)"
        )
        if _in_ci():
            pytest.fail(f"browser tests must run in CI: {why}")
        pytest.skip(f"browser tests skipped: {why}")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@dataclass
class DemoServer:
    base_url: str
    demo: dict[str, Any]


@pytest.fixture(scope="module")
def live_server(
    databases: Databases, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[DemoServer]:
    """`oversight serve` on 127.0.0.1, on a fresh database loaded by `oversight demo`."""
    home = tmp_path_factory.mktemp("live")
    env = server_env(databases, home)
    demo = json.loads(run_oversight(env, home, "demo", "--json"))
    with serving(env, home) as server:
        yield DemoServer(base_url=server.base_url, demo=demo)


def _login(api: httpx.Client, email: str, password: str) -> dict[str, str]:
    token = api.post(
        "/api/v1/auth/token",
        data={"grant_type": "password", "username": email, "password": password},
    )
    assert token.status_code == 200, f"demo login {email}: {token.text}"
    return {"Authorization": f"Bearer {token.json()['access_token']}"}


def _bulletins(api: httpx.Client, headers: dict[str, str], **params: str) -> list[dict]:
    page = api.get(BULLETINS_PATH, params=params, headers=headers)
    assert page.status_code == 200, page.text
    return page.json()["items"]


@pytest.fixture(scope="module")
def scenario(live_server: DemoServer) -> Scenario:
    """Reads the demo set through the API as its users do, to pick what the browser must show."""
    logins = live_server.demo["logins"]
    with httpx.Client(base_url=live_server.base_url, timeout=30) as api:
        strict: dict[str, dict] = {}
        for login in logins:
            headers = _login(api, login["email"], login["password"])
            for item in _bulletins(api, headers, tlp="AMBER+STRICT", status="published"):
                strict[item["id"]] = item
        for member in (lg for lg in logins if lg["role"] == "member"):
            headers = _login(api, member["email"], member["password"])
            agency_id = api.get("/api/v1/me", headers=headers).json()["agency"]["id"]
            # What Swagger's Execute will show: the first page, with no filter.
            seen = _bulletins(api, headers)
            green = [b for b in seen if b["tlp"] == "GREEN"]
            titles = {b["title"] for b in seen}
            hidden = [
                b
                for b in strict.values()
                if b["agency_id"] != agency_id
                and b["title"] not in titles
                and api.get(f"{BULLETINS_PATH}/{b['id']}", headers=headers).status_code == 404
            ]
            if green and hidden:
                return Scenario(
                    email=member["email"],
                    password=member["password"],
                    green_title=green[0]["title"],
                    hidden_title=hidden[0]["title"],
                )
    pytest.fail(
        "the demo set should give some member a GREEN bulletin to read and a published "
        "AMBER+STRICT bulletin of another agency that it may not read"
    )


@pytest.fixture
def context(chromium: "Browser") -> Iterator[tuple["BrowserContext", Traffic]]:
    """A fresh browser profile that records every request and refuses any off-host one."""
    ctx = chromium.new_context(viewport={"width": 1280, "height": 900})
    ctx.set_default_timeout(TIMEOUT_MS)
    traffic = Traffic()
    ctx.on("request", lambda request: traffic.requests.append(request.url))
    ctx.route(
        lambda url: urlsplit(url).hostname != LOCAL_HOST,
        lambda route: route.abort("blockedbyclient"),
    )

    def watch(page: "Page") -> None:
        page.on(
            "console",
            lambda msg: traffic.console_errors.append(msg.text) if msg.type == "error" else None,
        )
        page.on("pageerror", lambda exc: traffic.console_errors.append(f"page error: {exc}"))

    ctx.on("page", watch)
    yield ctx, traffic
    ctx.close()


def _authorize(page: "Page", email: str, password: str) -> None:
    page.locator(".auth-wrapper .authorize").click()
    dialog = page.locator(".modal-ux")
    flow = dialog.locator(".auth-container").filter(has_text="Flow: password").first
    # A member is asked for an email and a password only: no client, no scope tick-boxes.
    visible = flow.locator("input:visible, select:visible").evaluate_all(
        "els => els.map(e => e.id)"
    )
    assert visible == ["oauth_username", "oauth_password"], visible
    assert not flow.locator(".scopes").is_visible()
    assert not flow.locator(".scope-def").is_visible()
    # Partner systems keep their own section, with a client and scopes.
    partner = dialog.locator(".auth-container").filter(has_text="Flow: clientCredentials").first
    assert partner.locator("#client_id_clientCredentials").is_visible()
    assert partner.locator("#client_secret_clientCredentials").is_visible()
    assert partner.locator(".scopes input[type=checkbox]").count() > 0
    flow.locator("#oauth_username").fill(email)
    flow.locator("#oauth_password").fill(password)
    flow.locator("button.authorize").click()
    flow.locator("button", has_text="Logout").wait_for()
    assert "Authorized" in flow.inner_text()
    flow.locator("button.btn-done").click()


def _execute_list(page: "Page") -> str:
    path = page.locator(f'.opblock-summary-path[data-path="{BULLETINS_PATH}"]')
    block = page.locator(".opblock-get").filter(has=path).first
    block.locator(".opblock-summary-path").click()
    block.locator("button.try-out__btn").click()
    block.locator("button.execute").click()
    live = block.locator(".live-responses-table")
    live.wait_for()
    status = live.locator(".response .response-col_status").first.inner_text().strip()
    body = live.locator(".response-col_description .highlight-code, .response-col_description pre")
    text = body.first.inner_text()
    assert status == "200", f"GET {BULLETINS_PATH} answered {status}: {text[:500]}"
    block.locator(".responses-wrapper").first.evaluate("el => el.scrollIntoView({block: 'start'})")
    return text


def test_member_reads_bulletins_from_the_docs_page(context, live_server, scenario, tmp_path):
    ctx, traffic = context
    page = ctx.new_page()
    page.goto(f"{live_server.base_url}/docs")
    page.locator(".swagger-ui .info .title").wait_for()
    _authorize(page, scenario.email, scenario.password)
    # The token is kept across a reload (persistAuthorization): Execute runs after one.
    page.reload()
    page.locator(".swagger-ui .auth-wrapper .authorize.locked").wait_for()
    text = _execute_list(page)
    assert scenario.green_title in text
    assert scenario.hidden_title not in text
    page.wait_for_load_state("networkidle")
    shot = tmp_path / "docs-ui.png"
    page.screenshot(path=str(shot))
    if os.environ.get("OVERSIGHT_UPDATE_SCREENSHOTS") == "1":
        README_SCREENSHOT.parent.mkdir(exist_ok=True)
        shutil.copyfile(shot, README_SCREENSHOT)
    assert shot.stat().st_size > 0
    assert any(urlsplit(url).path == BULLETINS_PATH for url in traffic.requests)
    traffic.assert_local_only()


def _tlp_colours(page: "Page", scope: str) -> dict[str, tuple[str, str]]:
    """The rendered colour and background of each TLP label in the handbook text."""
    found = {}
    for tlp in TLP_COLOURS:
        label = page.locator(f'{scope} span[title^="TLP:{tlp}:"]').first
        assert label.inner_text() == f"TLP:{tlp}"
        found[tlp] = tuple(
            label.evaluate("e => [getComputedStyle(e).color, getComputedStyle(e).backgroundColor]")
        )
    return found


def test_the_handbook_shows_tlp_labels_in_their_first_colours(context, live_server):
    ctx, traffic = context
    expected = {tlp: (colour, BLACK) for tlp, colour in TLP_COLOURS.items()}
    page = ctx.new_page()
    page.goto(f"{live_server.base_url}/docs")
    page.locator(".swagger-ui .info .title").wait_for()
    assert _tlp_colours(page, ".swagger-ui .info") == expected
    page.goto(f"{live_server.base_url}/redoc")
    page.get_by_role("heading", name="What you can see: the Traffic Light Protocol").wait_for()
    assert _tlp_colours(page, "#redoc") == expected
    traffic.assert_local_only()


def test_redoc_loads_without_leaving_the_host(context, live_server, tmp_path):
    ctx, traffic = context
    page = ctx.new_page()
    page.goto(f"{live_server.base_url}/redoc")
    menu = page.get_by_role("menu").first
    menu.get_by_text("Getting started").wait_for()
    page.get_by_role("heading", name="What you can see: the Traffic Light Protocol").wait_for()
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(tmp_path / "redoc.png"))
    assert any(url.endswith("/openapi.json") for url in traffic.requests)
    traffic.assert_local_only()


BOARD_SCREENSHOT = README_SCREENSHOT.parent / "board-update.png"


def test_the_board_update_prints_with_its_charts_and_nothing_from_another_host(
    context, live_server, tmp_path
):
    ctx, traffic = context
    member = next(x for x in live_server.demo["logins"] if x["role"] == "member")
    with httpx.Client(base_url=live_server.base_url, timeout=30) as api:
        headers = _login(api, member["email"], member["password"])
    ctx.set_extra_http_headers({**headers, "Accept": "text/html"})
    page = ctx.new_page()
    answer = page.goto(f"{live_server.base_url}/api/v1/board-update?from=2019-06-01&to=2020-05-31")
    assert answer is not None and answer.status == 200
    page.get_by_role("heading", name="Cybercrime update, 2019-06-01 to 2020-05-31").wait_for()
    charts = page.locator("svg[role=img]")
    assert charts.count() == 2
    for n in range(2):
        box = charts.nth(n).bounding_box()
        assert box is not None and box["width"] > 100 and box["height"] > 30
    bars = page.locator("svg rect.bar")
    assert bars.count() >= 12 and all(
        (bars.nth(i).bounding_box() or {"width": 0})["width"] > 0 for i in range(bars.count())
    )
    assert page.locator("p.marking").first.inner_text().split(" · ")[1] == "OFFICIAL"
    shot = tmp_path / "board-update.png"
    page.screenshot(path=str(shot), full_page=True)
    if os.environ.get("OVERSIGHT_UPDATE_SCREENSHOTS") == "1":
        shutil.copyfile(shot, BOARD_SCREENSHOT)
    assert shot.stat().st_size > 0
    traffic.assert_local_only()
